import { listPings } from "@upfleet/monitors";
import { z } from "zod";
import { defineRoute } from "../../http/route.ts";
import { listOf, PageQuery, Timestamp } from "../../http/schemas.ts";
import { MonitorParams } from "./schema.ts";

const PingItem = z
  .object({
    id: z.string(),
    kind: z.enum(["success", "start", "fail"]),
    exit_code: z.number().int().nullable(),
    rid: z.string().nullable(),
    duration_ms: z.number().int().nullable().meta({ description: "From the matching /start (by rid when given)" }),
    method: z.string(),
    source_ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    body: z.string().nullable().meta({ description: "The first 10 KiB, as UTF-8 (other bytes as U+FFFD)" }),
    created_at: Timestamp,
  })
  .meta({ id: "HeartbeatPing" });

export const listPingsRoute = defineRoute({
  method: "get",
  path: "/monitors/:id/pings",
  operationId: "monitors.listPings",
  summary: "A heartbeat monitor's ping log, newest first",
  tag: "Monitors",
  access: { scope: "monitors:read" },
  params: MonitorParams,
  entity: "Monitor",
  query: PageQuery,
  responses: { 200: { description: "Pings", schema: listOf(PingItem, "HeartbeatPingList") } },
  handle: async ({ params, query, principal, deps }) => ({
    status: 200,
    body: await listPings(deps.db, principal, params.id, query),
  }),
});
