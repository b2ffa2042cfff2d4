import { login } from "@upfleet/accounts";
import { UnauthorizedError } from "@upfleet/errors";
import { clientIpBucket } from "../../auth/client-ip.ts";
import { defineRoute } from "../../http/route.ts";
import { LoginBody, SessionBody } from "./schema.ts";

export const loginRoute = defineRoute({
  method: "post",
  path: "/auth/login",
  operationId: "auth.login",
  summary: "Exchange email and password for a 12-hour session token",
  description:
    "Failed logins are limited per client IP (IPv6: per /64) and per email (lock-outs that double after " +
    "AUTH_FAILURES_PER_EMAIL failures): past them, 429 with Retry-After before the password is checked.",
  tag: "Accounts",
  access: "public",
  limitPerIp: true,
  body: LoginBody,
  example: { email: "ada@example.com", password: "correct horse battery staple" },
  responses: {
    200: { description: "A session JWT", schema: SessionBody },
    401: { description: "Wrong email or password (one answer for both)" },
  },
  handle: async ({ body, deps, req }) => {
    const { failedAuth } = deps;
    const subjects = [failedAuth.ip(clientIpBucket(req)), failedAuth.email(body.email)];
    await failedAuth.check(subjects);
    try {
      const session = await login(deps.db, deps.tokens, body);
      await failedAuth.clear(subjects[1]!);
      return { status: 200, body: session };
    } catch (error) {
      if (error instanceof UnauthorizedError) await failedAuth.fail(subjects);
      throw error;
    }
  },
});
