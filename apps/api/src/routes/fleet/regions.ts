import { regionOverview } from "@upfleet/queue";
import { z } from "zod";
import { defineRoute } from "../../http/route.ts";

const Region = z
  .object({
    name: z.string(),
    workers: z.number().int(),
    queue_depth: z.number().int(),
    oldest_job_age_ms: z.number().int().nullable(),
    checks_per_minute: z.number().int(),
  })
  .meta({ id: "Region" });

export const regionsRoute = defineRoute({
  method: "get",
  path: "/regions",
  summary: "Regions: live workers, queue depth, oldest waiting job, checks per minute",
  description: "A queue that grows, or an old oldest job, means the region needs more workers.",
  tag: "Fleet",
  access: { scope: "fleet:read" },
  responses: { 200: { description: "One entry per region", schema: z.array(Region) } },
  handle: async ({ deps }) => {
    const workers = await deps.fleet.registry.list();
    return { status: 200, body: await regionOverview(deps.config.REGIONS, workers, deps.fleet.queueFor) };
  },
});
