import { NotFoundError } from "@upfleet/errors";
import { defineRoute } from "../../http/route.ts";
import { IgnoredQuery, PUBLIC_DESCRIPTION, PublicStatusPage, SlugParams } from "./schema.ts";
import { PAGE_CACHE_CONTROL, publicPages } from "./site.ts";

export const publicStatusPageRoute = defineRoute({
  method: "get",
  path: "/public/status-pages/:slug",
  operationId: "public.statusPage",
  summary: "A published status page, as JSON",
  description: PUBLIC_DESCRIPTION,
  tag: "Status pages",
  access: "public",
  params: SlugParams,
  query: IgnoredQuery,
  entity: "Status page",
  responses: {
    200: { description: "What the page shows", schema: PublicStatusPage },
    429: { description: "Too many public requests from this address; see Retry-After" },
  },
  handle: async ({ params, deps }) => {
    const view = await publicPages(deps).view(params.slug);
    if (!view) throw new NotFoundError("Status page", params.slug);
    return { status: 200, body: view, headers: { "Cache-Control": PAGE_CACHE_CONTROL } };
  },
});
