import { getPage, verifyPageDomain } from "@upfleet/status-pages";
import { ErrorBody } from "../../http/openapi.ts";
import { defineRoute } from "../../http/route.ts";
import { publicPages } from "../public/site.ts";
import { PageParams, StatusPageBody } from "./schema.ts";

export const verifyDomainRoute = defineRoute({
  method: "post",
  path: "/status-pages/:id/verify-domain",
  operationId: "statusPages.verifyDomain",
  summary: "Check the custom domain's TXT record now",
  description:
    "Looks up the TXT record `_upfleet.<custom_domain>` now and answers the page: `custom_domain_verified` " +
    "is true once a TXT string equals `custom_domain_verification.value` (a record not there yet, or " +
    "another value, leaves it false). A page without a custom domain, or a domain another page has " +
    "already verified, is a 409.",
  tag: "Status pages",
  access: { scope: "status-pages:write" },
  params: PageParams,
  entity: "Status page",
  responses: {
    200: { description: "The status page, verified or not", schema: StatusPageBody },
    409: { description: "No custom domain, or it is verified by another page", schema: ErrorBody },
  },
  handle: async ({ params, principal, deps }) => {
    await verifyPageDomain(deps.db, principal.organizationId, params.id, deps.domains);
    publicPages(deps).forget();
    return { status: 200, body: await getPage(deps.db, principal, params.id) };
  },
});
