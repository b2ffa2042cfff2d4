import { type CheckSpec, type CheckSpecInput, checkSpecSchema } from "@upfleet/checks/contracts";
import type { Monitor } from "@upfleet/db";
import { StoredDataError, ValidationError, zodIssuesToDetails } from "@upfleet/errors";
import type { Keyring } from "@upfleet/secrets";
import { openSettings } from "./credentials.ts";
import { type MonitorSettings, parseSettings } from "./settings.ts";

/** Types whose checks the regional workers can run today; the others are stored, not scheduled. */
export const SCHEDULED_TYPES = new Set(["http", "tcp", "dns", "ssl", "api", "ping"]);

/** The spec's fields as the API names them, for a 400 about the monitor the client wrote. */
const FIELD_OF: Record<string, string> = {
  method: "http_method",
  headers: "http_headers",
  body: "http_body",
  expectedStatus: "http_expected_status",
  keyword: "http_keyword",
  keywordNegate: "http_keyword_negate",
  responseTimeThresholdMs: "response_time_threshold_ms",
  followRedirects: "follow_redirects",
  verifyTls: "verify_tls",
  timeoutMs: "timeout_ms",
  recordType: "dns_record_type",
  expectedValue: "dns_expected_value",
  resolver: "dns_resolver",
  steps: "api_check_steps",
};

function fieldOf(settings: MonitorSettings, path: PropertyKey[]): string {
  const [key = "", ...rest] = path.map(String);
  let field = FIELD_OF[key] ?? key;
  if (settings.type === "tcp" && key === "port") field = "tcp_port";
  if (settings.type === "ssl" && settings.url !== undefined) field = "url";
  return [field, ...rest].join(".");
}

/** The spec a worker is sent, before its own schema fills defaults and normalises hosts. */
function specInput(settings: MonitorSettings, timeoutMs: number): CheckSpecInput | null {
  switch (settings.type) {
    case "http":
      return {
        type: "http",
        url: settings.url,
        method: settings.http_method,
        headers: settings.http_headers,
        body: settings.http_body,
        timeoutMs,
        expectedStatus: settings.http_expected_status,
        keyword: settings.http_keyword,
        keywordNegate: settings.http_keyword_negate,
        responseTimeThresholdMs: settings.response_time_threshold_ms,
        followRedirects: settings.follow_redirects,
        verifyTls: settings.verify_tls,
      };
    case "tcp":
      return {
        type: "tcp",
        host: settings.host,
        port: settings.tcp_port,
        timeoutMs,
        responseTimeThresholdMs: settings.response_time_threshold_ms,
      };
    case "dns":
      return {
        type: "dns",
        host: settings.host,
        recordType: settings.dns_record_type,
        expectedValue: settings.dns_expected_value,
        resolver: settings.dns_resolver,
        timeoutMs,
      };
    case "ssl": {
      // The alert thresholds stay behind: the alerter reads them from the monitor when results come in.
      const url = settings.url === undefined ? null : new URL(settings.url);
      return {
        type: "ssl",
        host: url ? url.hostname : (settings.host ?? ""),
        port: url ? Number(url.port || 443) : settings.port,
        timeoutMs,
      };
    }
    case "api":
      return { type: "api", steps: settings.api_check_steps, timeoutMs };
    case "ping":
      return {
        type: "ping",
        host: settings.host,
        timeoutMs,
        responseTimeThresholdMs: settings.response_time_threshold_ms,
      };
    default:
      return null;
  }
}

/** The worker's verdict on a monitor's check: null for a type the workers do not run. */
function checkOf(settings: MonitorSettings, timeoutMs: number) {
  const input = specInput(settings, timeoutMs);
  return input === null ? null : checkSpecSchema.safeParse(input);
}

/**
 * Refuses, naming the monitor's fields, settings whose check the worker's schema would refuse: caught
 * when the monitor is written rather than as an invalid_settings result on every tick. The API's own
 * rules (input.ts, targets.ts) are meant to make this unreachable; it keeps the two from drifting.
 */
export function assertRunnable(settings: MonitorSettings, timeoutMs: number): void {
  const parsed = checkOf(settings, timeoutMs);
  if (!parsed || parsed.success) return;
  throw new ValidationError(
    parsed.error.issues.map((issue) => ({ path: fieldOf(settings, issue.path), message: issue.message })),
  );
}

/**
 * The check a worker runs for a monitor (packages/checks spec, camelCase): everything the worker
 * needs travels in the job, because workers never see the database (nor ENCRYPTION_KEY), so the
 * credentials are decrypted here. Null for a type the workers do not run; throws DecryptError when
 * the credentials cannot be opened and StoredDataError when the stored settings give no valid spec.
 */
export function toCheckSpec(
  monitor: Pick<Monitor, "type" | "settings" | "timeoutMs">,
  ring: Keyring,
): CheckSpec | null {
  const parsed = checkOf(parseSettings(monitor.type, openSettings(monitor.settings, ring)), monitor.timeoutMs);
  if (!parsed) return null;
  if (parsed.success) return parsed.data;
  throw new StoredDataError(`check of a ${monitor.type} monitor`, zodIssuesToDetails(parsed.error.issues));
}
