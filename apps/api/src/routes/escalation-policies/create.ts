import { createPolicy } from "@upfleet/channels";
import { ErrorBody } from "../../http/openapi.ts";
import { defineRoute } from "../../http/route.ts";
import { CreatePolicyBody, PolicyBody, STEPS_DESCRIPTION } from "./schema.ts";

export const createPolicyRoute = defineRoute({
  method: "post",
  path: "/escalation-policies",
  operationId: "escalationPolicies.create",
  summary: "Create an escalation policy",
  description: STEPS_DESCRIPTION,
  tag: "Notifications",
  access: { scope: "notifications:write" },
  body: CreatePolicyBody,
  example: {
    name: "Page the team",
    steps: [
      { delay_minutes: 0, channel_ids: ["chn_jt97kb6cq643dzvmxxqkfbf5kz"] },
      { delay_minutes: 15, channel_ids: ["chn_jt97kb6cq643dzvmxxqkfbf5kz"] },
    ],
  },
  responses: {
    201: { description: "The new policy", schema: PolicyBody },
    404: { description: "A channel named is not in your organization", schema: ErrorBody },
  },
  handle: async ({ body, principal, deps }) => ({ status: 201, body: await createPolicy(deps.db, principal, body) }),
});
