import { defineRoute } from "../../http/route.ts";
import { IgnoredQuery, PUBLIC_DESCRIPTION, SlugParams } from "./schema.ts";
import { htmlReply, publicPages } from "./site.ts";

export const statusHtmlRoute = defineRoute({
  method: "get",
  path: "/status/:slug",
  operationId: "public.statusPageHtml",
  absolute: true,
  summary: "A published status page, as HTML",
  description: `${PUBLIC_DESCRIPTION} A small HTML page answers 404.`,
  tag: "Status pages",
  access: "public",
  params: SlugParams,
  query: IgnoredQuery,
  entity: "Status page",
  responses: {
    200: { description: "The page (no script)", contentType: "text/html" },
    404: { description: "No such page", contentType: "text/html" },
    429: { description: "Too many public requests from this address; see Retry-After" },
  },
  handle: async ({ params, deps }) => htmlReply(await publicPages(deps).view(params.slug)),
});
