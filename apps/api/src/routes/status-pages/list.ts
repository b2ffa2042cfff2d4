import { listPages } from "@upfleet/status-pages";
import { defineRoute } from "../../http/route.ts";
import { PageListQuery, StatusPageList } from "./schema.ts";

export const listPagesRoute = defineRoute({
  method: "get",
  path: "/status-pages",
  operationId: "statusPages.list",
  summary: "List status pages, newest first",
  tag: "Status pages",
  access: { scope: "status-pages:read" },
  query: PageListQuery,
  responses: { 200: { description: "Status pages, newest first", schema: StatusPageList } },
  handle: async ({ query: { key, ...page }, principal, deps }) => ({
    status: 200,
    body: await listPages(deps.db, principal, { key }, page),
  }),
});
