import { loadAccount } from "@upfleet/accounts";
import { defineRoute } from "../../http/route.ts";
import { AccountBody } from "./schema.ts";

export const getAccountRoute = defineRoute({
  method: "get",
  path: "/account",
  summary: "Who am I: organization, user, the key in use and its rate limit",
  tag: "Accounts",
  access: { scope: "account:read" },
  responses: { 200: { description: "The caller's account", schema: AccountBody } },
  handle: async ({ principal, deps }) => {
    const user = await loadAccount(deps.db, principal);
    const limits = deps.planLimits(user.organization.plan);
    return {
      status: 200,
      body: {
        organization: { id: user.organization.id, name: user.organization.name, plan: user.organization.plan },
        user: { id: user.id, email: user.email, role: user.role },
        api_key: principal.apiKey,
        rate_limit: { limit_per_minute: limits.perMinute, limit_per_hour: limits.perHour },
      },
    };
  },
});
