import { InstantDate } from "@upfleet/db";
import { checksCursor, listChecks } from "@upfleet/monitors";
import { z } from "zod";
import { defineRoute } from "../../http/route.ts";
import { listOf, PageQuery, Timestamp } from "../../http/schemas.ts";
import { MonitorParams } from "./schema.ts";

const CheckItem = z
  .object({
    id: z.string(),
    timestamp: Timestamp,
    tick: Timestamp.meta({ description: "The scheduled time this check belongs to" }),
    region: z.string(),
    status: z.enum(["up", "degraded", "down"]),
    response_ms: z.number().int().nullable(),
    http_status: z.number().int().nullable(),
    error: z.string().nullable(),
    message: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "CheckResult" });

const ChecksQuery = PageQuery.extend({
  cursor: z
    .string()
    .max(200)
    .refine((c) => checksCursor.decode(c) !== null, "is not a cursor this API returned")
    .optional(),
  region: z.string().max(32).optional(),
  status: z.enum(["up", "degraded", "down"]).optional(),
  since: InstantDate.optional(),
  until: InstantDate.optional(),
});

export const listChecksRoute = defineRoute({
  method: "get",
  path: "/monitors/:id/checks",
  operationId: "monitors.listChecks",
  summary: "A monitor's check history, newest first",
  tag: "Monitors",
  access: { scope: "monitors:read" },
  params: MonitorParams,
  entity: "Monitor",
  query: ChecksQuery,
  responses: {
    200: {
      description: "Checks within the raw-result retention; `retained_from` is the oldest instant this list can reach",
      schema: listOf(CheckItem, "CheckResultList").extend({
        retained_from: Timestamp.meta({
          description: "Older ticks are past the plan's raw-result retention: only GET …/uptime still counts them",
        }),
      }),
    },
  },
  handle: async ({ params, query, principal, deps }) => {
    const { cursor, limit, ...filters } = query;
    const page = await listChecks(deps.db, principal, params.id, filters, { cursor, limit }, deps.retention);
    return { status: 200, body: page };
  },
});
