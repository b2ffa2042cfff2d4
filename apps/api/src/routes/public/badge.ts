import { NotFoundError } from "@upfleet/errors";
import { BADGE_DAYS } from "@upfleet/status-pages";
import { z } from "zod";
import { defineRoute } from "../../http/route.ts";
import { IgnoredQuery } from "./schema.ts";
import { BADGE_CACHE_CONTROL, publicPages } from "./site.ts";

export const badgeRoute = defineRoute({
  method: "get",
  path: "/status/:slug/badge/:monitor_id.svg",
  operationId: "public.badge",
  absolute: true,
  summary: "An uptime badge of a monitor a published status page shows",
  description: `No credential. "uptime | 99.95%" over ${BADGE_DAYS} days (image/svg+xml), coloured by the value; 404 for a monitor the page does not show. Cacheable for 5 minutes.`,
  tag: "Status pages",
  access: "public",
  params: z.strictObject({ slug: z.string().max(200), monitor_id: z.string().max(64) }),
  query: IgnoredQuery,
  entity: "Status page",
  responses: {
    200: { description: "The badge", contentType: "image/svg+xml" },
    429: { description: "Too many public requests from this address; see Retry-After" },
  },
  handle: async ({ params, deps }) => {
    const svg = await publicPages(deps).badge(params.slug, params.monitor_id);
    if (svg === null) throw new NotFoundError("Status page or monitor", `${params.slug}/${params.monitor_id}`);
    return {
      status: 200,
      headers: { "Cache-Control": BADGE_CACHE_CONTROL, "X-Content-Type-Options": "nosniff" },
      raw: { contentType: "image/svg+xml", content: svg },
    };
  },
});
