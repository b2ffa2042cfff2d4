import { updateRule } from "@upfleet/channels";
import { defineRoute } from "../../../http/route.ts";
import { RULE_DESCRIPTION } from "./create.ts";
import { PatchRuleBody, RuleBody, RuleParams } from "./schema.ts";

export const updateRuleRoute = defineRoute({
  method: "patch",
  path: "/notifications/rules/:id",
  operationId: "rules.update",
  summary: "Change a notification rule",
  description: `The fields given replace the rule's; the result must still send somewhere. ${RULE_DESCRIPTION}`,
  tag: "Notifications",
  access: { scope: "notifications:write" },
  params: RuleParams,
  entity: "Notification rule",
  body: PatchRuleBody,
  example: { escalation_policy_id: "esc_nwj47tan9zt24mnpzx45hy43kw" },
  responses: { 200: { description: "The rule", schema: RuleBody } },
  handle: async ({ params, body, principal, deps }) => ({
    status: 200,
    body: await updateRule(deps.db, principal, params.id, body),
  }),
});
