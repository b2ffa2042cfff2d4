import { parseStored, parseStoredObject } from "@upfleet/errors";
import { z } from "zod";

/**
 * A heartbeat monitor's own fields, as the API validates them (packages/monitors builds its input
 * schema from these) and as its schedule reads them from the row.
 */
export const heartbeatSettingsFields = {
  heartbeat_schedule: z.string().max(200).nullable(),
  heartbeat_timezone: z.string().max(64),
  heartbeat_grace_minutes: z.number().min(0).max(43_200, "must be at most 30 days"),
  heartbeat_max_runtime_seconds: z.number().int().min(1).max(604_800).nullable(),
  heartbeat_min_runtime_seconds: z.number().int().min(0).max(604_800).nullable(),
};

/** What a client may leave out, filled in when written and when a row written without it is read. */
export const HEARTBEAT_DEFAULTS = {
  heartbeat_schedule: null,
  heartbeat_timezone: "UTC",
  heartbeat_grace_minutes: 5,
  heartbeat_max_runtime_seconds: null,
  heartbeat_min_runtime_seconds: null,
};

const heartbeatSettingsSchema = z.object(heartbeatSettingsFields);

type HeartbeatSettings = z.output<typeof heartbeatSettingsSchema>;

/** The heartbeat fields of a monitor's `settings` column; a StoredDataError when they do not parse. */
export function parseHeartbeatSettings(stored: unknown): HeartbeatSettings {
  const document = { ...HEARTBEAT_DEFAULTS, ...parseStoredObject(stored, "heartbeat settings") };
  return parseStored(heartbeatSettingsSchema, document, "heartbeat settings");
}
