import { createHash, timingSafeEqual } from "node:crypto";
import { AppError, UnauthorizedError } from "@upfleet/errors";
import { checkReadiness, postgresProbe, redisProbe } from "@upfleet/runtime";
import { z } from "zod";
import { defineRoute } from "../http/route.ts";

const Health = z.object({ status: z.literal("ok") }).meta({ id: "Health" });
const Readiness = z
  .object({
    status: z.enum(["ok", "unavailable"]),
    ready: z.boolean(),
    checks: z.record(z.string(), z.enum(["ok", "unreachable"])),
  })
  .meta({ id: "Readiness" });

export const healthzRoute = defineRoute({
  method: "get",
  path: "/healthz",
  operationId: "service.healthz",
  absolute: true,
  summary: "Liveness: the process answers",
  description: "Touches neither PostgreSQL nor Redis: a failing probe means the process should be restarted.",
  tag: "Service",
  access: "public",
  responses: { 200: { description: "Alive", schema: Health } },
  handle: async () => ({ status: 200, body: { status: "ok" } }),
});

export const readyzRoute = defineRoute({
  method: "get",
  path: "/readyz",
  operationId: "service.readyz",
  absolute: true,
  summary: "Readiness: PostgreSQL and Redis reachable",
  description:
    "503 while either is unreachable, so a load balancer sends no traffic to this instance until it recovers.",
  tag: "Service",
  access: "public",
  responses: {
    200: { description: "Ready", schema: Readiness },
    503: { description: "A dependency is unreachable", schema: Readiness },
  },
  handle: async ({ deps }) => {
    const readiness = await checkReadiness([postgresProbe(deps.db), redisProbe(deps.redis)]);
    return {
      status: readiness.ready ? 200 : 503,
      body: { status: readiness.ready ? "ok" : "unavailable", ...readiness },
      headers: { "Cache-Control": "no-store" },
    };
  },
});

/** Whether `header` is `Bearer <token>`, compared in constant time. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = createHash("sha256")
    .update(header ?? "")
    .digest();
  return timingSafeEqual(given, createHash("sha256").update(`Bearer ${token}`).digest());
}

export const metricsRoute = defineRoute({
  method: "get",
  path: "/metrics",
  operationId: "service.metrics",
  absolute: true,
  summary: "Prometheus metrics",
  description:
    "Served on the public port only when METRICS_TOKEN is set, to `Authorization: Bearer <METRICS_TOKEN>`; " +
    "otherwise a 404 here (METRICS_PORT serves it on a port of its own).",
  tag: "Service",
  access: "public",
  responses: {
    200: { description: "Prometheus text exposition", contentType: "text/plain" },
    401: { description: "METRICS_TOKEN is set and the request does not carry it" },
    404: { description: "METRICS_TOKEN is not set: not served on this port" },
  },
  handle: async ({ deps, req }) => {
    const token = deps.config.METRICS_TOKEN;
    if (token === undefined) throw new AppError("not_found", `No route ${req.method} ${req.path}`);
    if (!bearerMatches(req.headers.authorization, token))
      throw new UnauthorizedError("Send Authorization: Bearer <METRICS_TOKEN>");
    return { status: 200, raw: { contentType: deps.metrics.contentType, content: await deps.metrics.metrics() } };
  },
});
