import { maintenanceIntervalsOf } from "@upfleet/maintenance";
import { SLA_PERIODS, type SlaPeriod, slaReport } from "@upfleet/monitors";
import { z } from "zod";
import { defineRoute } from "../../http/route.ts";
import { PageQuery, Timestamp } from "../../http/schemas.ts";

const Period = z.enum(Object.keys(SLA_PERIODS) as [SlaPeriod, ...SlaPeriod[]]);

const SlaReport = z
  .object({
    data: z.array(
      z.object({
        monitor_id: z.string(),
        name: z.string(),
        uptime_percent: z.number().nullable().meta({
          description: "Share of the observed time not down, maintenance left out; null if none was observed",
        }),
        downtime_seconds: z.number().int(),
        incidents: z.number().int().meta({ description: "Incidents that started in the period" }),
        mttr_seconds: z.number().int().nullable().meta({ description: "Mean time to resolve those that are resolved" }),
        avg_response_ms: z.number().int().nullable(),
        p95_response_ms: z.number().int().nullable(),
      }),
    ),
    next_cursor: z.string().nullable(),
    period: Period,
    from: Timestamp,
    to: Timestamp,
  })
  .meta({ id: "SlaReport" });

export const slaReportRoute = defineRoute({
  method: "get",
  path: "/reports/sla",
  operationId: "reports.sla",
  summary: "SLA per monitor over the last 7, 30 or 90 days: uptime, downtime, incidents, MTTR, response times",
  description:
    "Availability is time-based, from the monitors' state changes (heartbeat monitors included): downtime is the " +
    "time spent down, uptime the share of the time observed (from the period's start or the monitor's creation) " +
    "that was not down. Time in a maintenance window counts neither as up nor as down. Response times come from " +
    "the hourly (7d) or daily (30d, 90d) rollups. Monitors are listed newest first, a page at a time (`limit`, `cursor`).",
  tag: "Reports",
  access: { scope: "reports:read" },
  query: PageQuery.extend({
    period: Period.default("30d"),
    monitor_id: z.string().min(1).max(64).optional().meta({ description: "One monitor only (404 if not yours)" }),
  }),
  responses: { 200: { description: "SLA report", schema: SlaReport } },
  handle: async ({ query: { period, monitor_id, ...page }, principal, deps }) => ({
    status: 200,
    body: await slaReport(deps.db, principal, period, page, {
      monitorId: monitor_id,
      maintenance: (ids, from, to) => maintenanceIntervalsOf(deps.db, ids, from, to),
    }),
  }),
});
