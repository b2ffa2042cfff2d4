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
  absolute: true,
  summary: "Liveness: the process answers",
  tag: "Service",
  access: "public",
  responses: { 200: { description: "Alive", schema: Health } },
  handle: async () => ({ status: 200, body: { status: "ok" } }),
});

export const readyzRoute = defineRoute({
  method: "get",
  path: "/readyz",
  absolute: true,
  summary: "Readiness: PostgreSQL and Redis reachable",
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

export const metricsRoute = defineRoute({
  method: "get",
  path: "/metrics",
  absolute: true,
  summary: "Prometheus metrics",
  tag: "Service",
  access: "public",
  responses: { 200: { description: "Prometheus text exposition" } },
  handle: async ({ deps }) => ({
    status: 200,
    raw: { contentType: deps.metrics.contentType, content: await deps.metrics.metrics() },
  }),
});
