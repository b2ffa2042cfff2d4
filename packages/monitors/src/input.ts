import {
  API_CHECK_LIMITS,
  expectedStatusSchema,
  parseResolverAddress,
  RESOLVER_MAX_LENGTH,
} from "@upfleet/checks/contracts";
import { ResourceKey } from "@upfleet/db";
import { HEARTBEAT_DEFAULTS, heartbeatSettingsFields, isValidTimeZone } from "@upfleet/heartbeats";
import { CronExpressionParser } from "cron-parser";
import { z } from "zod";

/**
 * What a client may write for a monitor: common fields plus exactly the fields of its type.
 * Strict objects make a field of another type (or a typo) a 400, never a silent drop.
 */

const HttpUrl = z
  .url({ protocol: /^https?$/, message: "must be an http:// or https:// URL" })
  .max(2048, "must be at most 2048 characters");
const Hostname = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:[\]_-]+$/, "must be a hostname or an IP address");
/*
 * Where a field becomes part of the check a worker runs, it is refused here by the worker's own rule
 * (packages/checks spec.ts): one the worker's schema refused would fail its job every tick, with no
 * result, and the monitor would silently never be checked.
 */
const Resolver = z
  .string()
  .max(RESOLVER_MAX_LENGTH, `must be at most ${RESOLVER_MAX_LENGTH} characters`)
  // Refinements run after a failed max too: an over-long resolver gets one message, not two.
  .refine(
    (text) => text.length > RESOLVER_MAX_LENGTH || (text === text.trim() && parseResolverAddress(text) !== null),
    "must be ip[:port], IPv6 in brackets",
  );
/**
 * The TLS endpoint of an ssl monitor given by url: the worker gets its host name (at most 253 characters)
 * and a port of 1–65535. Refinements run on a url already found invalid too, hence canParse.
 */
const HttpsUrl = HttpUrl.refine((u) => u.startsWith("https://"), "must be an https:// URL")
  .refine((u) => !URL.canParse(u) || new URL(u).port !== "0", "must not have port 0")
  .refine(
    (u) => !URL.canParse(u) || new URL(u).hostname.length <= 253,
    "must have a host name of at most 253 characters",
  );
const Port = z.number().int().min(1, "must be 1–65535").max(65535, "must be 1–65535");
const Tag = z.string().trim().min(1).max(50);
const RegionName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "is not a region name");
const ThresholdMs = z.number().int().min(1).max(300_000);

const ExpectedStatus = expectedStatusSchema.max(200);

export const commonFields = {
  key: ResourceKey.nullable(),
  name: z.string().trim().min(1).max(200),
  interval_seconds: z.number().int().min(10, "must be at least 10").max(86_400, "must be at most 86400"),
  timeout_ms: z.number().int().min(100).max(60_000),
  regions: z.array(RegionName).min(1).max(20),
  confirmations: z.number().int().min(1).max(20),
  recovery_confirmations: z.number().int().min(1).max(20),
  tags: z.array(Tag).max(20),
  escalation_policy_id: z.string().max(64).nullable(),
  paused: z.boolean(),
};

export const typeFields = {
  http: {
    url: HttpUrl,
    http_method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]),
    http_headers: z
      .record(
        z
          .string()
          .min(1)
          .max(256)
          .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "is not a header name"),
        z.string().max(8192),
      )
      .refine((h) => Object.keys(h).length <= 50, "at most 50 headers"),
    http_body: z.string().max(65_536).nullable(),
    http_expected_status: ExpectedStatus,
    http_keyword: z.string().min(1).max(1024).nullable(),
    http_keyword_negate: z.boolean(),
    response_time_threshold_ms: ThresholdMs.nullable(),
    follow_redirects: z.boolean(),
    verify_tls: z.boolean(),
  },
  tcp: { host: Hostname, tcp_port: Port, response_time_threshold_ms: ThresholdMs.nullable() },
  dns: {
    host: Hostname,
    dns_record_type: z.enum(["A", "AAAA", "MX", "TXT", "CNAME", "NS"]),
    dns_expected_value: z.string().min(1).max(1024).nullable(),
    dns_resolver: Resolver.nullable(),
  },
  ping: { host: Hostname, response_time_threshold_ms: ThresholdMs.nullable() },
  ssl: {
    url: HttpsUrl.optional(),
    host: Hostname.optional(),
    port: Port,
    ssl_expiry_alert_days: z.array(z.number().int().min(1).max(365)).min(1).max(10),
  },
  heartbeat: heartbeatSettingsFields,
  api: {
    api_check_steps: z.preprocess(
      (value) => {
        if (typeof value !== "string") return value;
        try {
          return JSON.parse(value) as unknown;
        } catch {
          return value;
        }
      },
      z
        .array(
          z.strictObject({
            name: z.string().min(1).max(100),
            method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]).default("GET"),
            url: z.string().min(1).max(2048),
            headers: z
              .record(z.string().min(1).max(256), z.string().max(8192))
              .refine(
                (h) => Object.keys(h).length <= API_CHECK_LIMITS.headersPerStep,
                `at most ${API_CHECK_LIMITS.headersPerStep} headers`,
              )
              .default({}),
            body: z.string().max(65_536).nullable().default(null),
            assertions: z
              .array(
                z.discriminatedUnion("type", [
                  z.strictObject({ type: z.literal("status"), value: z.string().max(200) }),
                  z.strictObject({ type: z.literal("body_contains"), value: z.string().min(1).max(1024) }),
                  z.strictObject({
                    type: z.literal("json_path"),
                    path: z.string().min(1).max(256),
                    value: z.string().max(1024),
                  }),
                  z.strictObject({ type: z.literal("response_time"), value: z.string().regex(/^\d{1,6}$/) }),
                ]),
              )
              .max(API_CHECK_LIMITS.assertionsPerStep)
              .default([]),
            extract: z
              .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/), z.string().min(1).max(256))
              .refine(
                (e) => Object.keys(e).length <= API_CHECK_LIMITS.extractsPerStep,
                `at most ${API_CHECK_LIMITS.extractsPerStep} extracts`,
              )
              .default({}),
          }),
        )
        .min(1)
        .max(API_CHECK_LIMITS.steps),
    ),
  },
} as const;

export type MonitorTypeName = keyof typeof typeFields;

/** The port an ssl monitor's `url` connects to: the one it names, else https's. */
export const urlPort = (url: string): number => Number(new URL(url).port || 443);
export const MONITOR_TYPES = Object.keys(typeFields) as MonitorTypeName[];

/** Defaults a client may leave out, per type; `settings` holds the type's fields with these filled in. */
export const TYPE_DEFAULTS: Record<MonitorTypeName, Record<string, unknown>> = {
  http: {
    http_method: "GET",
    http_headers: {},
    http_body: null,
    http_expected_status: "200-299",
    http_keyword: null,
    http_keyword_negate: false,
    response_time_threshold_ms: null,
    follow_redirects: true,
    verify_tls: true,
  },
  tcp: { response_time_threshold_ms: null },
  dns: { dns_record_type: "A", dns_expected_value: null, dns_resolver: null },
  ping: { response_time_threshold_ms: null },
  ssl: { port: 443, ssl_expiry_alert_days: [30, 14, 7, 1] },
  heartbeat: HEARTBEAT_DEFAULTS,
  api: {},
};

/** Rules across a type's fields, checked on the complete monitor (after defaults or a PATCH merge). */
export function typeRules(type: MonitorTypeName, monitor: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  if (type === "ssl" && !monitor.url === !monitor.host) issue("url", "give either url or host");
  // With a url, the check connects to the url's port; a different `port` (443 is its default) is a contradiction.
  if (type === "ssl" && typeof monitor.url === "string" && URL.canParse(monitor.url)) {
    const port = urlPort(monitor.url);
    if (monitor.port !== 443 && monitor.port !== port)
      issue("port", `must be the url's port (${port}), or be left out`);
  }
  if (type === "heartbeat") {
    const zone = monitor.heartbeat_timezone as string;
    if (!isValidTimeZone(zone)) issue("heartbeat_timezone", `unknown IANA time zone "${zone}"`);
    const schedule = monitor.heartbeat_schedule as string | null;
    if (schedule !== null) {
      if (schedule.trim().split(/\s+/).length !== 5) issue("heartbeat_schedule", "must be a 5-field cron expression");
      else
        try {
          CronExpressionParser.parse(schedule, { tz: isValidTimeZone(zone) ? zone : "UTC", strict: false });
        } catch (error) {
          issue("heartbeat_schedule", `invalid cron expression: ${(error as Error).message}`);
        }
    }
    const min = monitor.heartbeat_min_runtime_seconds as number | null;
    const max = monitor.heartbeat_max_runtime_seconds as number | null;
    if (min !== null && max !== null && min > max) {
      issue("heartbeat_min_runtime_seconds", "must not exceed heartbeat_max_runtime_seconds");
    }
  }
  const interval = monitor.interval_seconds as number;
  const timeout = monitor.timeout_ms as number;
  // Compared only when both are valid: an interval refused already needs no second problem about it.
  const comparable =
    commonFields.interval_seconds.safeParse(interval).success && commonFields.timeout_ms.safeParse(timeout).success;
  if (type !== "heartbeat" && comparable && timeout > interval * 1000) {
    issue("timeout_ms", "must not exceed interval_seconds");
  }
}
