import { createPage } from "@upfleet/status-pages";
import { ErrorBody } from "../../http/openapi.ts";
import { defineRoute } from "../../http/route.ts";
import { apiHostname, publicPages } from "../public/site.ts";
import { CreatePageBody, PAGE_DESCRIPTION, StatusPageBody } from "./schema.ts";

export const createPageRoute = defineRoute({
  method: "post",
  path: "/status-pages",
  operationId: "statusPages.create",
  summary: "Create a status page",
  description: PAGE_DESCRIPTION,
  tag: "Status pages",
  access: { scope: "status-pages:write" },
  body: CreatePageBody,
  example: {
    name: "Acme status",
    slug: "acme",
    published: true,
    sections: [{ name: "Website", monitor_ids: ["mon_m9s346q3d25vt4f5v37e3s3e28"] }],
  },
  responses: {
    201: { description: "The new status page", schema: StatusPageBody },
    404: { description: "A monitor named is not in your organization", schema: ErrorBody },
    409: { description: "The slug or the custom domain is taken", schema: ErrorBody },
  },
  handle: async ({ body, principal, deps }) => {
    const page = await createPage(deps.db, principal, body, {
      apiHostname: apiHostname(deps),
      isInternal: deps.domains.isInternal,
    });
    publicPages(deps).forget();
    return { status: 201, body: page };
  },
});
