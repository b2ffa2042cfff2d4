import { CreateMonitorBody, MONITOR_TYPES } from "@upfleet/monitors";
import { z } from "zod";
import { idParam, KeyFilter, listOf, PageQuery, Timestamp } from "../../http/schemas.ts";

export { CreateMonitorBody, PatchMonitorBody } from "@upfleet/monitors";

export const MonitorParams = idParam("mon");

const MonitorStatus = z.enum(["pending", "up", "degraded", "down", "paused"]);

export const MonitorListQuery = PageQuery.extend({
  type: z.enum(MONITOR_TYPES).optional(),
  status: MonitorStatus.optional(),
  tag: z.string().min(1).max(50).optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .meta({ description: "Monitors whose name contains this, ignoring case" }),
  key: KeyFilter,
});

/** What every monitor has, whatever its type (API.md "Monitors"). */
const commonFields = {
  id: z.string(),
  key: z.string().nullable(),
  name: z.string(),
  interval_seconds: z.number().int().nullable(),
  timeout_ms: z.number().int(),
  regions: z.array(z.string()),
  confirmations: z.number().int(),
  recovery_confirmations: z.number().int(),
  tags: z.array(z.string()),
  escalation_policy_id: z.string().nullable(),
  paused: z.boolean(),
  status: MonitorStatus,
  last_checked_at: Timestamp.nullable(),
  last_status: z.number().int().nullable(),
  last_response_ms: z.number().int().nullable(),
  last_error: z.string().nullable(),
  uptime_24h: z.number().nullable(),
  avg_response_ms: z.number().nullable(),
  response_ms_24h: z.array(z.number().int().nullable()).meta({
    description:
      "Average response time of each of the last 24 hours (UTC hours, the current one last); null: no checks",
  }),
  created_at: Timestamp,
  updated_at: Timestamp,
};

const heartbeatFields = {
  heartbeat_token: z.string().meta({ description: "The credential in this monitor's ping URLs" }),
  heartbeat_url: z.url().meta({ description: "Where the job pings: append /start, /fail or /<exit code>" }),
  heartbeat_last_ping_at: Timestamp.nullable(),
  heartbeat_next_expected_at: Timestamp.nullable(),
};

/** A URL as it reads back: its user info masked (`••••`), which no longer makes it a valid URI. */
const ShownUrl = z.string().meta({ description: "The URL, any user info in it masked as ••••" });

/**
 * A type's own fields as a monitor of that type reads back: the fields it was created with, the
 * defaulted ones optional (a row written before a field existed lacks it), credentials masked.
 */
function typeFieldsOf(input: (typeof CreateMonitorBody.options)[number]): Record<string, z.ZodType> {
  const own = Object.entries(input.shape).filter(([key]) => key !== "type" && !(key in commonFields));
  return Object.fromEntries(
    own.map(([key, schema]) => {
      const shown = key === "url" ? (schema instanceof z.ZodOptional ? ShownUrl.optional() : ShownUrl) : schema;
      return [key, shown instanceof z.ZodDefault ? (shown.unwrap() as z.ZodType).optional() : shown];
    }),
  );
}

/** The monitor object, one schema per type: the common fields, the type's own, and a heartbeat's ping URL. */
export const MonitorBody = z
  .discriminatedUnion(
    "type",
    CreateMonitorBody.options.map((input) => {
      const type = input.shape.type.value;
      return z
        .object({
          type: z.literal(type),
          ...commonFields,
          ...typeFieldsOf(input),
          ...(type === "heartbeat" ? heartbeatFields : {}),
        })
        .meta({ id: `${type[0]!.toUpperCase()}${type.slice(1)}Monitor` });
    }) as unknown as [z.ZodObject, ...z.ZodObject[]],
  )
  .meta({ id: "Monitor" });

export const MonitorList = listOf(MonitorBody, "MonitorList");
