import { login } from "@upfleet/accounts";
import { defineRoute } from "../../http/route.ts";
import { LoginBody, SessionBody } from "./schema.ts";

export const loginRoute = defineRoute({
  method: "post",
  path: "/auth/login",
  summary: "Exchange email and password for a 12-hour session token",
  tag: "Accounts",
  access: "public",
  limitPerIp: true,
  body: LoginBody,
  responses: { 200: { description: "A session JWT", schema: SessionBody } },
  handle: async ({ body, deps }) => ({ status: 200, body: await login(deps.db, deps.tokens, body) }),
});
