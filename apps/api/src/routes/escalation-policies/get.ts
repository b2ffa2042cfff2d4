import { getPolicy } from "@upfleet/channels";
import { defineRoute } from "../../http/route.ts";
import { PolicyBody, PolicyParams } from "./schema.ts";

export const getPolicyRoute = defineRoute({
  method: "get",
  path: "/escalation-policies/:id",
  operationId: "escalationPolicies.get",
  summary: "Get an escalation policy",
  tag: "Notifications",
  access: { scope: "notifications:read" },
  params: PolicyParams,
  entity: "Escalation policy",
  responses: { 200: { description: "The policy", schema: PolicyBody } },
  handle: async ({ params, principal, deps }) => ({
    status: 200,
    body: await getPolicy(deps.db, principal, params.id),
  }),
});
