import { deleteRule } from "@upfleet/channels";
import { defineRoute } from "../../../http/route.ts";
import { RuleParams } from "./schema.ts";

export const deleteRuleRoute = defineRoute({
  method: "delete",
  path: "/notifications/rules/:id",
  operationId: "rules.delete",
  summary: "Delete a notification rule",
  tag: "Notifications",
  access: { scope: "notifications:write" },
  params: RuleParams,
  entity: "Notification rule",
  responses: { 204: { description: "Deleted" } },
  handle: async ({ params, principal, deps }) => {
    await deleteRule(deps.db, principal, params.id);
    return { status: 204 };
  },
});
