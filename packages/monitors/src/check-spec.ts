import type { Monitor } from "@upfleet/db";
import type { Keyring } from "@upfleet/secrets";
import { openSettings } from "./credentials.ts";

/** Types whose checks the regional workers can run today; the others are stored, not scheduled. */
export const SCHEDULED_TYPES = new Set(["http", "tcp", "dns", "ssl", "api"]);

type Settings = Record<string, unknown>;

/**
 * The check a worker runs for a monitor (packages/checks spec, camelCase): everything the worker
 * needs travels in the job, because workers never see the database (nor ENCRYPTION_KEY), so the
 * credentials are decrypted here. Throws DecryptError when they cannot be.
 */
export function toCheckSpec(monitor: Pick<Monitor, "type" | "settings" | "timeoutMs">, ring: Keyring): unknown {
  const s: Settings = openSettings(monitor.settings, ring);
  switch (monitor.type) {
    case "http":
      return {
        type: "http",
        url: s.url,
        method: s.http_method,
        headers: s.http_headers,
        body: s.http_body,
        timeoutMs: monitor.timeoutMs,
        expectedStatus: s.http_expected_status,
        keyword: s.http_keyword,
        keywordNegate: s.http_keyword_negate,
        responseTimeThresholdMs: s.response_time_threshold_ms,
        followRedirects: s.follow_redirects,
        verifyTls: s.verify_tls,
      };
    case "tcp":
      return {
        type: "tcp",
        host: s.host,
        port: s.tcp_port,
        timeoutMs: monitor.timeoutMs,
        responseTimeThresholdMs: s.response_time_threshold_ms,
      };
    case "dns":
      return {
        type: "dns",
        host: s.host,
        recordType: s.dns_record_type,
        expectedValue: s.dns_expected_value,
        resolver: s.dns_resolver,
        timeoutMs: monitor.timeoutMs,
      };
    case "ssl": {
      // The alert thresholds stay behind: the alerter reads them from the monitor when results come in.
      const url = typeof s.url === "string" ? new URL(s.url) : null;
      return {
        type: "ssl",
        host: url ? url.hostname : s.host,
        port: url ? Number(url.port || 443) : s.port,
        timeoutMs: monitor.timeoutMs,
      };
    }
    case "api":
      // Stored as validated by the API (an array of steps with their defaults), the spec's own shape.
      return { type: "api", steps: s.api_check_steps, timeoutMs: monitor.timeoutMs };
    default:
      return null;
  }
}
