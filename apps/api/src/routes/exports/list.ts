import { listExports } from "@upfleet/exports";
import { defineRoute } from "../../http/route.ts";
import { PageQuery } from "../../http/schemas.ts";
import { EXPORT_DESCRIPTION, ExportList, linkMaker } from "./schema.ts";

export const listExportsRoute = defineRoute({
  method: "get",
  path: "/exports",
  operationId: "exports.list",
  summary: "List exports, newest first",
  description: EXPORT_DESCRIPTION,
  tag: "Exports",
  access: { scope: "exports:read" },
  query: PageQuery,
  responses: { 200: { description: "Exports, newest first", schema: ExportList } },
  handle: async (ctx) => ({
    status: 200,
    body: await listExports(ctx.deps.db, ctx.principal, ctx.query, linkMaker(ctx)),
  }),
});
