import { updatePolicy } from "@upfleet/channels";
import { defineRoute } from "../../http/route.ts";
import { PatchPolicyBody, PolicyBody, PolicyParams, STEPS_DESCRIPTION } from "./schema.ts";

export const updatePolicyRoute = defineRoute({
  method: "patch",
  path: "/escalation-policies/:id",
  operationId: "escalationPolicies.update",
  summary: "Rename an escalation policy or replace its steps",
  description: `${STEPS_DESCRIPTION} Escalations already running keep the steps they started with.`,
  tag: "Notifications",
  access: { scope: "notifications:write" },
  params: PolicyParams,
  entity: "Escalation policy",
  body: PatchPolicyBody,
  example: { name: "Page the on-call team" },
  responses: { 200: { description: "The policy", schema: PolicyBody } },
  handle: async ({ params, body, principal, deps }) => ({
    status: 200,
    body: await updatePolicy(deps.db, principal, params.id, body),
  }),
});
