import { getExport } from "@upfleet/exports";
import { defineRoute } from "../../http/route.ts";
import { EXPORT_DESCRIPTION, ExportBody, ExportParams, linkMaker } from "./schema.ts";

export const getExportRoute = defineRoute({
  method: "get",
  path: "/exports/:id",
  operationId: "exports.get",
  summary: "Get an export (a fresh download link once completed)",
  description: EXPORT_DESCRIPTION,
  tag: "Exports",
  access: { scope: "exports:read" },
  params: ExportParams,
  entity: "Export",
  responses: { 200: { description: "The export", schema: ExportBody } },
  handle: async (ctx) => ({
    status: 200,
    body: await getExport(ctx.deps.db, ctx.principal, ctx.params.id, linkMaker(ctx)),
  }),
});
