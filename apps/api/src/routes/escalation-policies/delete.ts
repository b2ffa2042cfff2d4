import { deletePolicy } from "@upfleet/channels";
import { ErrorBody } from "../../http/openapi.ts";
import { defineRoute } from "../../http/route.ts";
import { PolicyParams } from "./schema.ts";

export const deletePolicyRoute = defineRoute({
  method: "delete",
  path: "/escalation-policies/:id",
  operationId: "escalationPolicies.delete",
  summary: "Delete an escalation policy",
  description:
    "A policy that rules or monitors still escalate to is not deleted: the 409 names them, to be changed " +
    "first. Escalations already running for open incidents finish with the steps they started with.",
  tag: "Notifications",
  access: { scope: "notifications:write" },
  params: PolicyParams,
  entity: "Escalation policy",
  responses: {
    204: { description: "Deleted" },
    409: { description: "Rules or monitors use the policy", schema: ErrorBody },
  },
  handle: async ({ params, principal, deps }) => {
    await deletePolicy(deps.db, principal, params.id);
    return { status: 204 };
  },
});
