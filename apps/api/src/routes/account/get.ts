import { defineRoute } from "../../http/route.ts";
import { AccountBody } from "./schema.ts";

export const getAccountRoute = defineRoute({
  method: "get",
  path: "/account",
  operationId: "account.get",
  summary: "Who am I: organization, user, the key in use and its rate limit",
  tag: "Accounts",
  description:
    "Any valid credential, whatever its scopes, may read who it is: `api_key.scopes` is how a client " +
    "learns what it may do.",
  access: { scope: null },
  responses: { 200: { description: "The caller's account", schema: AccountBody } },
  // Served from the principal: read with the session each request, or cached with the key (≤ 30 s).
  handle: async ({ principal, deps }) => {
    const limits = deps.planLimits(principal.plan);
    return {
      status: 200,
      body: {
        organization: { id: principal.organizationId, name: principal.organizationName, plan: principal.plan },
        user: { id: principal.userId, email: principal.email, role: principal.role },
        api_key: principal.apiKey,
        rate_limit: { limit_per_minute: limits.perMinute, limit_per_hour: limits.perHour },
      },
    };
  },
});
