import { signup } from "@upfleet/accounts";
import { defineRoute } from "../../http/route.ts";
import { SignupBody, SignupResult } from "./schema.ts";

export const signupRoute = defineRoute({
  method: "post",
  path: "/auth/signup",
  summary: "Create an organization and its owner",
  description: "Open to the first user of a deployment; afterwards only when OPEN_SIGNUP=true (403 otherwise).",
  tag: "Accounts",
  access: "public",
  limitPerIp: true,
  body: SignupBody,
  responses: { 201: { description: "Created; the session token is ready to use", schema: SignupResult } },
  handle: async ({ body, deps }) => ({
    status: 201,
    body: await signup(
      deps.db,
      deps.tokens,
      { email: body.email, password: body.password, organizationName: body.organization_name },
      { openSignup: deps.config.OPEN_SIGNUP },
    ),
  }),
});
