import type { Monitor } from "@upfleet/db";
import { nextExpectedAt, scheduleOf } from "@upfleet/heartbeats";
import { shownSettings } from "./credentials.ts";
import { urlPort } from "./input.ts";

export interface RecentStats {
  uptime24h: number | null;
  avgResponseMs: number | null;
  /** Average response time of each of the last 24 hours, oldest first; null for an hour without one. */
  responseMs24h: (number | null)[];
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** When the next success ping is due (without the grace): nothing is expected before the first one, or while paused. */
function nextExpected(monitor: Monitor): string | null {
  if (monitor.paused || !monitor.heartbeatLastPingAt) return null;
  return iso(new Date(nextExpectedAt(scheduleOf(monitor), monitor.heartbeatLastPingAt.getTime())));
}

/**
 * The API's monitor object: common fields, the type's own fields (credentials masked, whoever
 * reads), then state (API.md "Monitors").
 */
export function presentMonitor(monitor: Monitor, stats: RecentStats, heartbeatBaseUrl: string) {
  const settings = shownSettings(monitor.settings);
  // Rows written before the port followed the url read 443 while the check used the url's port.
  if (monitor.type === "ssl" && typeof settings.url === "string" && URL.canParse(settings.url)) {
    settings.port = urlPort(settings.url);
  }
  const heartbeat =
    monitor.type === "heartbeat" && monitor.heartbeatToken
      ? {
          heartbeat_token: monitor.heartbeatToken,
          heartbeat_url: `${heartbeatBaseUrl}/api/heartbeat/${monitor.heartbeatToken}`,
          heartbeat_last_ping_at: iso(monitor.heartbeatLastPingAt),
          heartbeat_next_expected_at: nextExpected(monitor),
        }
      : {};
  return {
    id: monitor.id,
    key: monitor.key,
    name: monitor.name,
    type: monitor.type,
    ...settings,
    ...heartbeat,
    interval_seconds: monitor.intervalSeconds === 0 ? null : monitor.intervalSeconds,
    timeout_ms: monitor.timeoutMs,
    regions: monitor.regions,
    confirmations: monitor.confirmations,
    recovery_confirmations: monitor.recoveryConfirmations,
    tags: monitor.tags,
    escalation_policy_id: monitor.escalationPolicyId,
    paused: monitor.paused,
    status: monitor.paused ? "paused" : monitor.status,
    last_checked_at: iso(monitor.lastCheckedAt),
    last_status: monitor.lastStatus,
    last_response_ms: monitor.lastResponseMs,
    last_error: monitor.lastError,
    uptime_24h: stats.uptime24h,
    avg_response_ms: stats.avgResponseMs,
    response_ms_24h: stats.responseMs24h,
    created_at: monitor.createdAt.toISOString(),
    updated_at: monitor.updatedAt.toISOString(),
  };
}

export type PresentedMonitor = ReturnType<typeof presentMonitor>;
