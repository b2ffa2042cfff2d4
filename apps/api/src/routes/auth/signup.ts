import { signup } from "@upfleet/accounts";
import { ConflictError } from "@upfleet/errors";
import { clientIpBucket } from "../../auth/client-ip.ts";
import { defineRoute } from "../../http/route.ts";
import { SignupBody, SignupResult } from "./schema.ts";

export const signupRoute = defineRoute({
  method: "post",
  path: "/auth/signup",
  operationId: "auth.signup",
  summary: "Create an organization and its owner",
  description:
    "Open to the first user of a deployment; afterwards only when OPEN_SIGNUP=true (403 otherwise). " +
    "An email that cannot be used is 409 with the same message whoever holds it, and counts as a failed " +
    "authentication of the client's address (429 past AUTH_FAILURES_PER_IP).",
  tag: "Accounts",
  access: "public",
  limitPerIp: true,
  body: SignupBody,
  example: { email: "ada@example.com", password: "correct horse battery staple", organization_name: "Acme" },
  responses: {
    201: { description: "Created; the session token is ready to use", schema: SignupResult },
    403: { description: "Sign-up is closed: users exist and OPEN_SIGNUP is not true" },
    409: { description: "This email cannot be used (the same answer whoever holds it)" },
  },
  handle: async ({ body, deps, req }) => {
    const { failedAuth } = deps;
    // Probing which emails have accounts costs the same budget as guessing passwords. Per address
    // only: counted per email, anyone could lock an account's logins by signing up with its email.
    const subjects = [failedAuth.ip(clientIpBucket(req))];
    await failedAuth.check(subjects);
    try {
      const created = await signup(
        deps.db,
        deps.tokens,
        { email: body.email, password: body.password, organizationName: body.organization_name },
        { openSignup: deps.config.OPEN_SIGNUP },
      );
      return { status: 201, body: created };
    } catch (error) {
      if (error instanceof ConflictError) await failedAuth.fail(subjects);
      throw error;
    }
  },
});
