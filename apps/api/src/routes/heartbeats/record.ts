import type { IncomingMessage } from "node:http";
import { NotFoundError, ValidationError } from "@upfleet/errors";
import type { PingKind } from "@upfleet/heartbeats";
import type { z } from "zod";
import { ipBucket } from "../../auth/client-ip.ts";
import type { ApiDeps } from "../../deps.ts";
import type { DocumentedRoute } from "../../http/openapi.ts";
import { clientAddress, type TrustProxy } from "../../http/trust-proxy.ts";
import { parseParams } from "../../http/validate.ts";
import { HEARTBEAT_BASE, PING_DESCRIPTION, PingQuery, PingReply, TokenParams } from "./schema.ts";

interface Signal {
  kind: PingKind;
  exitCode: number | null;
}

/** One ping as the fast path received it. */
export interface PingCall {
  token: string;
  rid: string | null;
  signal: Signal;
  method: string;
  sourceIp: string | null;
  userAgent: string | null;
  body: string | null;
}

const USER_AGENT_MAX = 512;
const ENTITY = "Heartbeat monitor";
export const PING_OK = { ok: true } as const;

/**
 * Who sent it: the socket's address, or the client's as the proxies TRUST_PROXY names report it;
 * `::ffff:203.0.113.7` is how Node shows an IPv4 client on a dual-stack socket.
 */
export function pingSource(
  req: IncomingMessage,
  trust: TrustProxy,
): Pick<PingCall, "method" | "sourceIp" | "userAgent"> {
  const ip = clientAddress(req, trust);
  return {
    method: req.method ?? "GET",
    sourceIp: ip?.startsWith("::ffff:") && ip.includes(".") ? ip.slice(7) : (ip ?? null),
    userAgent: req.headers["user-agent"]?.slice(0, USER_AGENT_MAX) ?? null,
  };
}

/**
 * The per-IP limit counts every ping, known token or not (guessing tokens costs a client its
 * budget); the per-token limit counts only a real monitor's. Both are counted in one Redis round
 * trip; the hour windows of the shared limiter are not used, as they would never bind first.
 */
export async function recordPing(deps: ApiDeps, call: PingCall): Promise<void> {
  const target = await deps.heartbeats.tokens.resolve(call.token);
  const perIp = {
    subject: `hb-ip:${ipBucket(call.sourceIp ?? undefined)}`,
    perMinute: deps.config.HEARTBEAT_IP_RATE_LIMIT_PER_MINUTE,
  };
  if (!target) {
    await deps.rateLimiter.consumeMinutes([perIp]);
    throw new NotFoundError(ENTITY);
  }
  await deps.rateLimiter.consumeMinutes([
    perIp,
    { subject: `hb:${target.monitorId}`, perMinute: deps.config.HEARTBEAT_RATE_LIMIT_PER_MINUTE },
  ]);
  const result = await deps.heartbeats.recorder.record({
    monitorId: target.monitorId,
    kind: call.signal.kind,
    exitCode: call.signal.exitCode,
    rid: call.rid,
    method: call.method,
    sourceIp: call.sourceIp,
    userAgent: call.userAgent,
    body: call.body,
  });
  if (!result.recorded) throw new NotFoundError(ENTITY);
}

/** Exit codes as a shell reports them: 0–255, digits only (`-1`, `256` and `abc` are refused). */
export function parseExitCode(raw: string): number {
  if (!/^\d{1,3}$/.test(raw) || Number(raw) > 255) {
    throw new ValidationError([
      { path: "exit_code", message: `must be an integer from 0 to 255, got "${raw.slice(0, 20)}"` },
    ]);
  }
  return Number(raw);
}

interface PingRouteSpec<P extends z.ZodType> {
  /** After /api/heartbeat/:token. */
  suffix: string;
  /** The operations' base name: `.get`, `.post` and `.head` are appended. */
  operationId: string;
  params?: P;
  summary: string;
  signal(params: z.output<P>): Signal;
}

/** What the ping fast path needs of a route besides its path: its params, read as Express would. */
interface PingEndpoint {
  /** A token or parameter that cannot exist is a 404; the signal may still refuse the ping (400). */
  parseParams(raw: Record<string, string>): { token: string; signal(): Signal };
}

/**
 * A ping path as the OpenAPI document describes it and the fast path serves it: no handler, as
 * Express never sees a ping (app.ts). Always absolute, so `path` is the whole path.
 */
export type PingRoute = DocumentedRoute & { absolute: true; ping: PingEndpoint };

const PING_RESPONSES = {
  200: { description: "Recorded", schema: PingReply },
  405: { description: "A method other than GET, POST or HEAD (the Allow header lists them)" },
  429: { description: "Too many pings for this token or from this address; see Retry-After" },
};

/** One path, served for GET, HEAD and POST, as cron lines use any of them. */
export function definePingRoutes<P extends z.ZodType = typeof TokenParams>(spec: PingRouteSpec<P>): PingRoute[] {
  const schema = (spec.params ?? TokenParams) as P;
  const ping: PingEndpoint = {
    parseParams(raw) {
      const params = parseParams(schema, raw, ENTITY);
      return { token: (params as { token: string }).token, signal: () => spec.signal(params) };
    },
  };
  return (["get", "head", "post"] as const).map((method) => ({
    ping,
    method,
    path: `${HEARTBEAT_BASE}/:token${spec.suffix}`,
    operationId: `${spec.operationId}.${method}`,
    absolute: true,
    summary: spec.summary,
    description: PING_DESCRIPTION,
    tag: "Heartbeats",
    access: "public",
    params: schema,
    query: PingQuery,
    responses: method === "head" ? { ...PING_RESPONSES, 200: { description: "Recorded (no body)" } } : PING_RESPONSES,
  }));
}
