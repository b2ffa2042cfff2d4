import { createRule } from "@upfleet/channels";
import { ErrorBody } from "../../../http/openapi.ts";
import { defineRoute } from "../../../http/route.ts";
import { CreateRuleBody, RuleBody } from "./schema.ts";

export const RULE_DESCRIPTION =
  "A rule sends the events it matches to its channels, its escalation policy, or both (one at least). " +
  "It matches when every filter it sets does: `events` (the event type), `monitor_ids` (the monitor), " +
  "`tags` (the monitor carries one of them); `null` means all, and an empty list is refused. Channels, " +
  "monitors and the policy must be your organization's: any other id is a 404 naming it.";

export const createRuleRoute = defineRoute({
  method: "post",
  path: "/notifications/rules",
  operationId: "rules.create",
  summary: "Create a notification rule",
  description: RULE_DESCRIPTION,
  tag: "Notifications",
  access: { scope: "notifications:write" },
  body: CreateRuleBody,
  example: {
    name: "Production down",
    events: ["monitor.down", "monitor.up"],
    tags: ["production"],
    channel_ids: ["chn_jt97kb6cq643dzvmxxqkfbf5kz"],
  },
  responses: {
    201: { description: "The new rule", schema: RuleBody },
    404: { description: "A channel, monitor or policy named is not in your organization", schema: ErrorBody },
  },
  handle: async ({ body, principal, deps }) => ({ status: 201, body: await createRule(deps.db, principal, body) }),
});
