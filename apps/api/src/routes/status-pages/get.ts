import { getPage } from "@upfleet/status-pages";
import { defineRoute } from "../../http/route.ts";
import { PageParams, StatusPageBody } from "./schema.ts";

export const getPageRoute = defineRoute({
  method: "get",
  path: "/status-pages/:id",
  operationId: "statusPages.get",
  summary: "Get a status page",
  tag: "Status pages",
  access: { scope: "status-pages:read" },
  params: PageParams,
  entity: "Status page",
  responses: { 200: { description: "The status page", schema: StatusPageBody } },
  handle: async ({ params, principal, deps }) => ({ status: 200, body: await getPage(deps.db, principal, params.id) }),
});
