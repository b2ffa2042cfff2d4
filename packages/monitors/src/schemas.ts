import { z } from "zod";
import { commonFields, MONITOR_TYPES, type MonitorTypeName, TYPE_DEFAULTS, typeFields, typeRules } from "./input.ts";
import { hostRules } from "./targets.ts";

const COMMON_DEFAULTS = {
  timeout_ms: 10_000,
  confirmations: 1,
  recovery_confirmations: 1,
  tags: [] as string[],
  escalation_policy_id: null,
  paused: false,
};

/** The complete monitor of one type, with defaults filled in; also re-checks a PATCH merged onto it. */
function monitorSchemaFor<T extends MonitorTypeName>(type: T) {
  const fields: Record<string, z.ZodType> = {};
  for (const [key, schema] of Object.entries(typeFields[type] as Record<string, z.ZodType>)) {
    const fallback = TYPE_DEFAULTS[type][key];
    fields[key] = fallback === undefined ? schema : schema.default(fallback as never);
  }
  return z
    .strictObject({
      type: z.literal(type),
      name: commonFields.name,
      interval_seconds:
        type === "heartbeat" ? commonFields.interval_seconds.optional() : commonFields.interval_seconds.default(60),
      timeout_ms: commonFields.timeout_ms.default(COMMON_DEFAULTS.timeout_ms),
      regions: commonFields.regions.optional(),
      confirmations: commonFields.confirmations.default(COMMON_DEFAULTS.confirmations),
      recovery_confirmations: commonFields.recovery_confirmations.default(COMMON_DEFAULTS.recovery_confirmations),
      tags: commonFields.tags.default(COMMON_DEFAULTS.tags),
      escalation_policy_id: commonFields.escalation_policy_id.default(null),
      paused: commonFields.paused.default(false),
      ...fields,
    })
    .superRefine((monitor, ctx) => {
      if (
        type === "heartbeat" &&
        monitor.interval_seconds === undefined &&
        !("heartbeat_schedule" in monitor && monitor.heartbeat_schedule)
      ) {
        ctx.addIssue({
          code: "custom",
          path: ["interval_seconds"],
          message: "give interval_seconds or heartbeat_schedule",
        });
      }
      typeRules(type, { ...monitor, interval_seconds: monitor.interval_seconds ?? 86_400 }, ctx);
      hostRules(type, monitor, ctx);
    })
    .meta({ id: `${type[0]!.toUpperCase()}${type.slice(1)}MonitorInput` });
}

const schemas = {
  http: monitorSchemaFor("http"),
  tcp: monitorSchemaFor("tcp"),
  dns: monitorSchemaFor("dns"),
  ping: monitorSchemaFor("ping"),
  ssl: monitorSchemaFor("ssl"),
  heartbeat: monitorSchemaFor("heartbeat"),
  api: monitorSchemaFor("api"),
} satisfies { [T in MonitorTypeName]: ReturnType<typeof monitorSchemaFor<T>> };

export function schemaOf(type: MonitorTypeName) {
  return schemas[type];
}

export const CreateMonitorBody = z
  .discriminatedUnion("type", [
    schemas.http,
    schemas.tcp,
    schemas.dns,
    schemas.ping,
    schemas.ssl,
    schemas.heartbeat,
    schemas.api,
  ])
  .meta({ id: "CreateMonitorRequest" });

export type MonitorInput = z.output<(typeof schemas)[MonitorTypeName]>;

/** Every field any type has (first definition wins for shared names); a PATCH is then re-checked per type. */
const allTypeFields: Record<string, z.ZodType> = {};
for (const type of MONITOR_TYPES) {
  for (const [key, schema] of Object.entries(typeFields[type] as Record<string, z.ZodType>)) {
    allTypeFields[key] ??= schema.optional();
  }
}

export const PatchMonitorBody = z
  .strictObject({
    type: z.enum(MONITOR_TYPES).optional(),
    ...Object.fromEntries(Object.entries(commonFields).map(([key, schema]) => [key, schema.optional()])),
    ...allTypeFields,
  })
  .meta({ id: "UpdateMonitorRequest" });

export type MonitorPatch = Record<string, unknown> & { type?: MonitorTypeName };

/** The keys a monitor of `type` may carry: the common ones and its own. */
export function allowedKeys(type: MonitorTypeName): Set<string> {
  return new Set(["type", ...Object.keys(commonFields), ...Object.keys(typeFields[type])]);
}
