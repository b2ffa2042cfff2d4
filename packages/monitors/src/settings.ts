import { parseStored, parseStoredObject, StoredDataError } from "@upfleet/errors";
import { z } from "zod";
import { MONITOR_TYPES, type MonitorTypeName, TYPE_DEFAULTS, typeFields } from "./input.ts";

/**
 * A monitor row's `settings` as its type stores them: the fields the API validates for that type
 * (packages/monitors input.ts, the same schemas), with the type's defaults for fields added after
 * the row was written. Extra keys (the sealed credentials, `_sealed`) are left out.
 */
const settingsOf = <T extends MonitorTypeName>(type: T) => z.object({ type: z.literal(type), ...typeFields[type] });

const monitorSettingsSchema = z.discriminatedUnion("type", [
  settingsOf("http"),
  settingsOf("tcp"),
  settingsOf("dns"),
  settingsOf("ping"),
  settingsOf("ssl"),
  settingsOf("heartbeat"),
  settingsOf("api"),
]);

export type MonitorSettings = z.output<typeof monitorSettingsSchema>;

const MonitorType = z.enum(MONITOR_TYPES);

/** A settings column as the JSON object it stores, credentials and all, before any type is assumed. */
export function settingsDocument(stored: unknown): Record<string, unknown> {
  return parseStoredObject(stored, "monitor settings");
}

/** A monitor's settings typed by its type; a StoredDataError naming the fields when they do not parse. */
export function parseSettings(type: string, stored: unknown): MonitorSettings {
  const known = MonitorType.safeParse(type);
  const defaults = known.success ? TYPE_DEFAULTS[known.data] : {};
  const document = { ...defaults, ...settingsDocument(stored), type };
  return parseStored(monitorSettingsSchema, document, `settings of a ${type} monitor`);
}

/** The same, null for settings that do not parse: for readers that must go on without them. */
export function readSettings(type: string, stored: unknown): MonitorSettings | null {
  try {
    return parseSettings(type, stored);
  } catch (error) {
    if (error instanceof StoredDataError) return null;
    throw error;
  }
}
