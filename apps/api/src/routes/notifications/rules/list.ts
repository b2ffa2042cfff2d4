import { listRules } from "@upfleet/channels";
import { defineRoute } from "../../../http/route.ts";
import { KeyedPageQuery } from "../../../http/schemas.ts";
import { RuleList } from "./schema.ts";

export const listRulesRoute = defineRoute({
  method: "get",
  path: "/notifications/rules",
  operationId: "rules.list",
  summary: "List notification rules, newest first",
  tag: "Notifications",
  access: { scope: "notifications:read" },
  query: KeyedPageQuery,
  responses: { 200: { description: "Rules, newest first", schema: RuleList } },
  handle: async ({ query: { key, ...page }, principal, deps }) => ({
    status: 200,
    body: await listRules(deps.db, principal, { key }, page),
  }),
});
