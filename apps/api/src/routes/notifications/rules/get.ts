import { getRule } from "@upfleet/channels";
import { defineRoute } from "../../../http/route.ts";
import { RuleBody, RuleParams } from "./schema.ts";

export const getRuleRoute = defineRoute({
  method: "get",
  path: "/notifications/rules/:id",
  operationId: "rules.get",
  summary: "Get a notification rule",
  tag: "Notifications",
  access: { scope: "notifications:read" },
  params: RuleParams,
  entity: "Notification rule",
  responses: { 200: { description: "The rule", schema: RuleBody } },
  handle: async ({ params, principal, deps }) => ({ status: 200, body: await getRule(deps.db, principal, params.id) }),
});
