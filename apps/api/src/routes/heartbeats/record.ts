import { NotFoundError, ValidationError } from "@upfleet/errors";
import type { PingKind } from "@upfleet/heartbeats";
import type { Request, Response } from "express";
import type { z } from "zod";
import type { ApiDeps } from "../../deps.ts";
import { type AnyRoute, defineRoute, type Reply } from "../../http/route.ts";
import { pingBody } from "./request.ts";
import { HEARTBEAT_BASE, PING_DESCRIPTION, PingQuery, PingReply, TokenParams } from "./schema.ts";

export interface Signal {
  kind: PingKind;
  exitCode: number | null;
}

const USER_AGENT_MAX = 512;

/** Per minute; the hour window of the shared limiter is set so it never binds first. */
function limit(deps: ApiDeps, subject: string, perMinute: number) {
  return deps.rateLimiter.consume(subject, { perMinute, perHour: perMinute * 60 });
}

/** `::ffff:203.0.113.7` is how Node shows an IPv4 client on a dual-stack socket. */
function clientIp(req: Request): string | null {
  const ip = req.ip ?? req.socket.remoteAddress;
  if (!ip) return null;
  return ip.startsWith("::ffff:") && ip.includes(".") ? ip.slice(7) : ip;
}

/**
 * The per-IP limit counts every ping, known token or not (guessing tokens costs a client its
 * budget); the per-token limit counts only a real monitor's. The two go to Redis together.
 */
async function recordPing(
  deps: ApiDeps,
  req: Request,
  res: Response,
  token: string,
  rid: string | undefined,
  signal: Signal,
): Promise<Reply> {
  const ip = clientIp(req);
  const target = await deps.heartbeats.tokens.resolve(token);
  const perIp = limit(deps, `hb-ip:${ip ?? "unknown"}`, deps.config.HEARTBEAT_IP_RATE_LIMIT_PER_MINUTE);
  if (!target) {
    await perIp;
    throw new NotFoundError("Heartbeat monitor");
  }
  await Promise.all([perIp, limit(deps, `hb:${target.monitorId}`, deps.config.HEARTBEAT_RATE_LIMIT_PER_MINUTE)]);
  const result = await deps.heartbeats.recorder.record({
    monitorId: target.monitorId,
    kind: signal.kind,
    exitCode: signal.exitCode,
    rid: rid ?? null,
    method: req.method,
    sourceIp: ip,
    userAgent: req.get("user-agent")?.slice(0, USER_AGENT_MAX) ?? null,
    body: pingBody(res),
  });
  if (!result.recorded) throw new NotFoundError("Heartbeat monitor");
  return { status: 200, body: { ok: true } };
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
  params?: P;
  summary: string;
  signal(params: z.output<P>): Signal;
}

/** One path, served for GET (HEAD with it) and POST, as cron lines use either. */
export function pingRoutes<P extends z.ZodType = typeof TokenParams>(spec: PingRouteSpec<P>): AnyRoute[] {
  return (["get", "post"] as const).map((method) =>
    defineRoute({
      method,
      path: `${HEARTBEAT_BASE}/:token${spec.suffix}`,
      absolute: true,
      summary: spec.summary,
      description: PING_DESCRIPTION,
      tag: "Heartbeats",
      access: "public",
      params: (spec.params ?? TokenParams) as P,
      entity: "Heartbeat monitor",
      query: PingQuery,
      responses: { 200: { description: "Recorded", schema: PingReply } },
      handle: ({ deps, req, res, params, query }) => {
        const { token } = params as { token: string };
        return recordPing(deps, req, res, token, query.rid, spec.signal(params as z.output<P>));
      },
    }),
  );
}
