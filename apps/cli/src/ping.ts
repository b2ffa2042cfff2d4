import { createClient } from "@upfleet/sdk";
import { usageError } from "./exit-codes.ts";

/** What a ping reports: `/` (success), `/start`, `/fail` or `/<exit code>`. */
export type PingKind = "success" | "start" | "fail" | number;

export interface PingOptions {
  /** Pairs a /start with its finish. */
  rid?: string;
  /** Stored with the ping (the API keeps its first 10 KiB). */
  body?: string;
}

/** Where a heartbeat's pings go: the deployment's origin and the monitor's token. */
interface PingTarget {
  baseUrl: string;
  token: string;
}

/** A token (on `apiUrl`) or a monitor's whole `heartbeat_url`, as crontabs usually carry it. */
function pingTarget(tokenOrUrl: string, apiUrl: string): PingTarget {
  if (!/^https?:\/\//.test(tokenOrUrl)) return { baseUrl: apiUrl, token: tokenOrUrl };
  const url = new URL(tokenOrUrl);
  const match = /^(.*)\/api\/heartbeat\/([^/]+)\/?$/.exec(url.pathname);
  if (!match) throw usageError(`${tokenOrUrl} is not a heartbeat URL (…/api/heartbeat/<token>)`);
  return { baseUrl: `${url.origin}${match[1]}`, token: match[2]! };
}

const PING_TIMEOUT_MS = 10_000;

/**
 * Sends a heartbeat's pings. Its client has no credential (the token is one), few short retries and
 * a timeout on each attempt, so a slow or unreachable API holds a cron job up by seconds, not minutes.
 */
export function heartbeatPinger(tokenOrUrl: string, apiUrl: string) {
  const { baseUrl, token } = pingTarget(tokenOrUrl, apiUrl);
  const { api } = createClient({
    baseUrl,
    retries: 2,
    maxDelayMs: 5_000,
    fetch: (request) => fetch(request, { signal: AbortSignal.timeout(PING_TIMEOUT_MS) }),
  });
  return async (kind: PingKind, options: PingOptions = {}) => {
    const params = { path: { token }, query: { rid: options.rid } };
    // The document declares no request body for pings (any bytes are taken), so the body goes through as text.
    const init = {
      params,
      body: options.body as never,
      bodySerializer: (text: unknown) => text as string,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    };
    if (typeof kind === "number") {
      const path = { token, exit_code: String(kind) };
      return (await api.POST("/api/heartbeat/{token}/{exit_code}", { ...init, params: { ...params, path } })).data;
    }
    if (kind === "start") return (await api.POST("/api/heartbeat/{token}/start", init)).data;
    if (kind === "fail") return (await api.POST("/api/heartbeat/{token}/fail", init)).data;
    return (await api.POST("/api/heartbeat/{token}", init)).data;
  };
}
