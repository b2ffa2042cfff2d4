import { MONITOR_TYPES } from "@upfleet/monitors";
import { z } from "zod";
import { idParam, listOf, PageQuery, Timestamp } from "../../http/schemas.ts";

export { CreateMonitorBody, PatchMonitorBody } from "@upfleet/monitors";

export const MonitorParams = idParam("mon");

export const MonitorListQuery = PageQuery.extend({
  type: z.enum(MONITOR_TYPES).optional(),
  status: z.enum(["pending", "up", "degraded", "down", "paused"]).optional(),
  tag: z.string().min(1).max(50).optional(),
});

/** The monitor object (API.md "Monitors"); type fields appear for the monitor's type only. */
export const MonitorBody = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    type: z.enum(MONITOR_TYPES),
    interval_seconds: z.number().int().nullable(),
    timeout_ms: z.number().int(),
    regions: z.array(z.string()),
    confirmations: z.number().int(),
    recovery_confirmations: z.number().int(),
    tags: z.array(z.string()),
    escalation_policy_id: z.string().nullable(),
    paused: z.boolean(),
    status: z.enum(["pending", "up", "degraded", "down", "paused"]),
    last_checked_at: Timestamp.nullable(),
    last_status: z.number().int().nullable(),
    last_response_ms: z.number().int().nullable(),
    last_error: z.string().nullable(),
    uptime_24h: z.number().nullable(),
    avg_response_ms: z.number().nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: "Monitor" });

export const MonitorList = listOf(MonitorBody, "MonitorList");
