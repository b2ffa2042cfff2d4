import { deletePage } from "@upfleet/status-pages";
import { defineRoute } from "../../http/route.ts";
import { publicPages } from "../public/site.ts";
import { PageParams } from "./schema.ts";

export const deletePageRoute = defineRoute({
  method: "delete",
  path: "/status-pages/:id",
  operationId: "statusPages.delete",
  summary: "Delete a status page",
  description: "The page is gone at once, and its slug and custom domain are free again.",
  tag: "Status pages",
  access: { scope: "status-pages:write" },
  params: PageParams,
  entity: "Status page",
  responses: { 204: { description: "Deleted" } },
  handle: async ({ params, principal, deps }) => {
    await deletePage(deps.db, principal, params.id);
    publicPages(deps).forget();
    return { status: 204 };
  },
});
