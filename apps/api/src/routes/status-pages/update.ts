import { updatePage } from "@upfleet/status-pages";
import { ErrorBody } from "../../http/openapi.ts";
import { defineRoute } from "../../http/route.ts";
import { apiHostname, publicPages } from "../public/site.ts";
import { PAGE_DESCRIPTION, PageParams, PatchPageBody, StatusPageBody } from "./schema.ts";

export const updatePageRoute = defineRoute({
  method: "patch",
  path: "/status-pages/:id",
  operationId: "statusPages.update",
  summary: "Change a status page",
  description: `The fields given replace the page's (\`sections\` as a whole) and the result is checked as a new page would be. ${PAGE_DESCRIPTION}`,
  tag: "Status pages",
  access: { scope: "status-pages:write" },
  params: PageParams,
  entity: "Status page",
  body: PatchPageBody,
  example: { description: "Live status of Acme services" },
  responses: {
    200: { description: "The status page", schema: StatusPageBody },
    404: { description: "No such page, or a monitor named is not in your organization", schema: ErrorBody },
    409: { description: "The slug or the custom domain is taken", schema: ErrorBody },
  },
  handle: async ({ params, body, principal, deps }) => {
    const page = await updatePage(deps.db, principal, params.id, body, {
      apiHostname: apiHostname(deps),
      isInternal: deps.domains.isInternal,
    });
    publicPages(deps).forget();
    return { status: 200, body: page };
  },
});
