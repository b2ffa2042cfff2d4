import { UPTIME_PERIODS, type UptimePeriod, uptimeReport } from "@upfleet/monitors";
import { z } from "zod";
import { defineRoute } from "../../http/route.ts";
import { Timestamp } from "../../http/schemas.ts";
import { MonitorParams } from "./schema.ts";

const Uptime = z
  .object({
    period: z.enum(Object.keys(UPTIME_PERIODS) as [UptimePeriod, ...UptimePeriod[]]),
    uptime_percent: z.number().nullable(),
    avg_response_ms: z.number().int().nullable(),
    p95_response_ms: z.number().int().nullable(),
    total_checks: z.number().int(),
    failed_checks: z.number().int(),
    incidents: z.number().int(),
    history: z.array(
      z.object({
        timestamp: Timestamp,
        uptime_percent: z.number().nullable(),
        avg_response_ms: z.number().int().nullable(),
        checks: z.number().int(),
      }),
    ),
  })
  .meta({ id: "Uptime" });

export const uptimeRoute = defineRoute({
  method: "get",
  path: "/monitors/:id/uptime",
  operationId: "monitors.uptime",
  summary: "Uptime, response times and incidents over 24h, 7d, 30d or 90d",
  description:
    "Hourly buckets for 24h and 7d, daily for 30d and 90d; empty buckets are listed with 0 checks. Checks made " +
    "during the monitor's maintenance windows count neither as up nor as down (they are left out of the checks).",
  tag: "Monitors",
  access: { scope: "monitors:read" },
  params: MonitorParams,
  entity: "Monitor",
  query: z.strictObject({
    period: z.enum(Object.keys(UPTIME_PERIODS) as [UptimePeriod, ...UptimePeriod[]]).default("24h"),
  }),
  responses: { 200: { description: "Uptime report", schema: Uptime } },
  handle: async ({ params, query, principal, deps }) => ({
    status: 200,
    body: await uptimeReport(deps.db, principal, params.id, query.period),
  }),
});
