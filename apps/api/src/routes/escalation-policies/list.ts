import { listPolicies } from "@upfleet/channels";
import { defineRoute } from "../../http/route.ts";
import { KeyedPageQuery } from "../../http/schemas.ts";
import { PolicyList } from "./schema.ts";

export const listPoliciesRoute = defineRoute({
  method: "get",
  path: "/escalation-policies",
  operationId: "escalationPolicies.list",
  summary: "List escalation policies, newest first",
  tag: "Notifications",
  access: { scope: "notifications:read" },
  query: KeyedPageQuery,
  responses: { 200: { description: "Policies, newest first", schema: PolicyList } },
  handle: async ({ query: { key, ...page }, principal, deps }) => ({
    status: 200,
    body: await listPolicies(deps.db, principal, { key }, page),
  }),
});
