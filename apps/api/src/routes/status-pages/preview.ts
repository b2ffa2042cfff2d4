import { previewPage } from "@upfleet/status-pages";
import { defineRoute } from "../../http/route.ts";
import { PublicStatusPage } from "../public/schema.ts";
import { PageParams } from "./schema.ts";

export const previewPageRoute = defineRoute({
  method: "get",
  path: "/status-pages/:id/preview",
  operationId: "statusPages.preview",
  summary: "What the page shows the public, published or not",
  description:
    "The same JSON as `/api/v1/public/status-pages/<slug>`, for a page of your organization whether or " +
    "not it is published, built now (the public view is cached for a few seconds): check a page before " +
    "publishing it.",
  tag: "Status pages",
  access: { scope: "status-pages:read" },
  params: PageParams,
  entity: "Status page",
  responses: { 200: { description: "What the page shows", schema: PublicStatusPage } },
  handle: async ({ params, principal, deps }) => ({
    status: 200,
    body: await previewPage(deps.db, principal, params.id),
  }),
});
