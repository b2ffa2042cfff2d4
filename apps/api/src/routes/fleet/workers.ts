import { z } from "zod";
import { defineRoute } from "../../http/route.ts";
import { Timestamp } from "../../http/schemas.ts";
import { isFleetAdmin } from "./access.ts";

const WorkerBody = z
  .object({
    id: z.string(),
    region: z.string(),
    hostname: z.string(),
    version: z.string(),
    concurrency: z.number().int(),
    in_flight: z.number().int(),
    started_at: Timestamp,
    last_seen_at: Timestamp,
    schedule_lag_ms: z
      .object({ p50: z.number().int(), p99: z.number().int() })
      .nullable()
      .describe("Its checks' start behind their ticks over the last minute; null when it ran none"),
    icmp: z
      .boolean()
      .describe(
        "Whether it takes ping checks: only workers that can send ICMP are given them (found at start: " +
          "a probe to 127.0.0.1 with the system's ping), unless the operator switched them off (PING_CHECKS=false)",
      ),
    icmp_problem: z
      .string()
      .nullable()
      .describe("Why it takes no ping checks (switched off, or what the probe found); null when it takes them"),
  })
  .meta({ id: "Worker" });

export const workersRoute = defineRoute({
  method: "get",
  path: "/workers",
  operationId: "fleet.workers",
  summary: "Live check workers (seen in the last 20 s)",
  description: "For the deployment's operators (FLEET_ADMIN_EMAILS) only: 404 for anyone else.",
  tag: "Fleet",
  access: { scope: "fleet:read" },
  visibleTo: isFleetAdmin,
  responses: { 200: { description: "Workers", schema: z.array(WorkerBody) } },
  // A worker's checks per minute is what GET /regions sums; this contract leaves it out.
  handle: async ({ deps }) => ({
    status: 200,
    body: (await deps.fleet.registry.list()).map(({ checks_per_minute: _, ...worker }) => worker),
  }),
});
