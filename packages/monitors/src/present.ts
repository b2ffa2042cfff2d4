import type { Monitor } from "@upfleet/db";

export interface RecentStats {
  uptime24h: number | null;
  avgResponseMs: number | null;
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** The API's monitor object: common fields, the type's own fields, then state (API.md "Monitors"). */
export function presentMonitor(monitor: Monitor, stats: RecentStats, heartbeatBaseUrl: string) {
  const settings = monitor.settings as Record<string, unknown>;
  const heartbeat =
    monitor.type === "heartbeat" && monitor.heartbeatToken
      ? {
          heartbeat_token: monitor.heartbeatToken,
          heartbeat_url: `${heartbeatBaseUrl}/api/heartbeat/${monitor.heartbeatToken}`,
        }
      : {};
  return {
    id: monitor.id,
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
    created_at: monitor.createdAt.toISOString(),
    updated_at: monitor.updatedAt.toISOString(),
  };
}

export type PresentedMonitor = ReturnType<typeof presentMonitor>;
