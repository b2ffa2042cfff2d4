import { createClient, type UpfleetClient } from "@upfleet/sdk";
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
export function pingTarget(tokenOrUrl: string, apiUrl: string): PingTarget {
  if (!/^https?:\/\//.test(tokenOrUrl)) return { baseUrl: apiUrl, token: tokenOrUrl };
  const url = new URL(tokenOrUrl);
  const match = /^(.*)\/api\/heartbeat\/([^/]+)\/?$/.exec(url.pathname);
  if (!match) throw usageError(`${tokenOrUrl} is not a heartbeat URL (…/api/heartbeat/<token>)`);
  return { baseUrl: `${url.origin}${match[1]}`, token: match[2]! };
}

const PING_TIMEOUT_MS = 10_000;

/**
 * A client for pings: no credential (the token is one), few short retries and a timeout on each
 * attempt, so a slow or unreachable API holds a cron job up by seconds, not minutes.
 */
export function pingClient(target: PingTarget): UpfleetClient {
  return createClient({
    baseUrl: target.baseUrl,
    retries: 2,
    maxDelayMs: 5_000,
    fetch: (request) => fetch(request, { signal: AbortSignal.timeout(PING_TIMEOUT_MS) }),
  });
}

export async function sendPing(client: UpfleetClient, target: PingTarget, kind: PingKind, options: PingOptions = {}) {
  const query = { rid: options.rid };
  // The document declares no request body for pings (any bytes are taken), so the body goes through as text.
  const body = {
    body: options.body as never,
    bodySerializer: (text: unknown) => text as string,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  };
  const { token } = target;
  const call =
    typeof kind === "number"
      ? client.api.POST("/api/heartbeat/{token}/{exit_code}", {
          params: { path: { token, exit_code: String(kind) }, query },
          ...body,
        })
      : kind === "success"
        ? client.api.POST("/api/heartbeat/{token}", { params: { path: { token }, query }, ...body })
        : kind === "start"
          ? client.api.POST("/api/heartbeat/{token}/start", { params: { path: { token }, query }, ...body })
          : client.api.POST("/api/heartbeat/{token}/fail", { params: { path: { token }, query }, ...body });
  return (await call).data;
}
