import { regionOverview } from "@upfleet/queue";
import { z } from "zod";
import { defineRoute } from "../../http/route.ts";
import { isFleetAdmin } from "./access.ts";

const Region = z
  .object({
    name: z.string(),
    workers: z.number().int(),
    queue_depth: z.number().int(),
    oldest_job_age_ms: z.number().int().nullable(),
    checks_per_minute: z.number().int(),
    schedule_lag_p50_ms: z
      .number()
      .int()
      .nullable()
      .describe(
        "Check start behind its tick over the last minute, p50 of the region's slowest worker; null: no check ran",
      ),
    schedule_lag_p99_ms: z.number().int().nullable().describe("The same at p99"),
    dispatching: z
      .boolean()
      .describe("false while the region has no live worker or its oldest waiting check is stale: no checks are sent"),
    icmp_workers: z.number().int().describe("Live workers that take ping checks (`icmp` in GET /workers)"),
    ping_dispatching: z
      .boolean()
      .describe(
        "false while the region has no live worker that takes ping checks, or its oldest waiting ping check is " +
          "stale: its ping checks are not sent (not run, not failed) while its other checks may be",
      ),
  })
  .meta({ id: "Region" });

export const regionsRoute = defineRoute({
  method: "get",
  path: "/regions",
  operationId: "fleet.regions",
  summary:
    "Regions: live workers, queue depth, oldest waiting job, checks per minute, schedule lag p50/p99, whether checks (and ping checks) are sent",
  description:
    "A queue that grows, or an old oldest job, means the region needs more workers. " +
    "For the deployment's operators (FLEET_ADMIN_EMAILS) only: 404 for anyone else.",
  tag: "Fleet",
  access: { scope: "fleet:read" },
  visibleTo: isFleetAdmin,
  responses: { 200: { description: "One entry per region", schema: z.array(Region) } },
  handle: async ({ deps }) => {
    const workers = await deps.fleet.registry.list();
    return { status: 200, body: await regionOverview(deps.config.REGIONS, workers, deps.fleet.checks) };
  },
});
