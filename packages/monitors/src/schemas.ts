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

/**
 * Fields a monitor reads back but no client writes: named as read-only when sent, rather than as
 * unknown (API.md "Conventions"). Heartbeat monitors also read back their ping token and URL.
 */
const READ_ONLY = [
  "id",
  "status",
  "last_checked_at",
  "last_status",
  "last_response_ms",
  "last_error",
  "uptime_24h",
  "avg_response_ms",
  "response_ms_24h",
  "created_at",
  "updated_at",
];
const HEARTBEAT_READ_ONLY = [
  "heartbeat_token",
  "heartbeat_url",
  "heartbeat_last_ping_at",
  "heartbeat_next_expected_at",
];

const readOnlyFields = (names: string[]) =>
  Object.fromEntries(
    names.map((name) => [
      name,
      z
        .unknown()
        .refine(() => false, "is read-only")
        .optional()
        .meta({ description: "Read-only: returned, never written (sending it is a 400)" }),
    ]),
  );

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
      key: commonFields.key.default(null),
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
      ...readOnlyFields(type === "heartbeat" ? [...READ_ONLY, ...HEARTBEAT_READ_ONLY] : READ_ONLY),
    })
    .superRefine((monitor, ctx) => {
      if (type === "heartbeat") {
        const scheduled = "heartbeat_schedule" in monitor && Boolean(monitor.heartbeat_schedule);
        if (monitor.interval_seconds === undefined && !scheduled) {
          ctx.addIssue({
            code: "custom",
            path: ["interval_seconds"],
            message: "give interval_seconds or heartbeat_schedule",
          });
        }
        if (monitor.interval_seconds !== undefined && scheduled) {
          for (const path of ["interval_seconds", "heartbeat_schedule"]) {
            ctx.addIssue({
              code: "custom",
              path: [path],
              message: "give interval_seconds or heartbeat_schedule, not both",
            });
          }
        }
      }
      typeRules(type, { ...monitor, interval_seconds: monitor.interval_seconds ?? 86_400 }, ctx);
      hostRules(type, monitor, ctx);
    })
    .meta({ id: `${type[0]!.toUpperCase()}${type.slice(1)}MonitorInput` });
}

/** What a monitor of any type needs, judged when its type is not one we know. */
const CommonFieldsOnly = z.object({
  name: commonFields.name,
  ...Object.fromEntries(
    Object.entries(commonFields)
      .filter(([key]) => key !== "name")
      .map(([key, schema]) => [key, schema.optional()]),
  ),
});

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
  .superRefine(
    (value, ctx) => {
      const sent = value as unknown;
      if (
        typeof sent !== "object" ||
        sent === null ||
        (MONITOR_TYPES as readonly unknown[]).includes((sent as { type?: unknown }).type)
      )
        return;
      // An unknown type stops the union at its discriminator: the common fields' problems are listed too.
      const common = CommonFieldsOnly.safeParse(sent);
      for (const issue of common.success ? [] : common.error.issues) ctx.addIssue({ ...issue, code: "custom" });
    },
    { when: () => true },
  )
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
    ...readOnlyFields([...READ_ONLY, ...HEARTBEAT_READ_ONLY]),
  })
  .meta({ id: "UpdateMonitorRequest" });

export type MonitorPatch = Record<string, unknown> & { type?: MonitorTypeName };

/** The keys a monitor of `type` may carry: the common ones and its own. */
export function allowedKeys(type: MonitorTypeName): Set<string> {
  return new Set(["type", ...Object.keys(commonFields), ...Object.keys(typeFields[type])]);
}
