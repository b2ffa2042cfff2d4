import { ValidationError } from "@upfleet/errors";
import { defineRoute } from "../../http/route.ts";

export const logoutRoute = defineRoute({
  method: "post",
  path: "/auth/logout",
  operationId: "auth.logout",
  summary: "End this session: its token is refused everywhere from now on",
  description:
    "Authenticated with the session token to revoke (Authorization: Bearer <jwt>); every API instance " +
    "refuses it until it would have expired. An API key is not a session: 400 (revoke keys with DELETE /keys/:id).",
  tag: "Accounts",
  access: { scope: null },
  responses: { 204: { description: "The session is revoked" } },
  handle: async ({ principal, deps }) => {
    if (!principal.session) {
      throw new ValidationError(
        [{ path: "authorization", message: "must be a session token; revoke API keys with DELETE /keys/:id" }],
        "Only a session token can log out",
      );
    }
    await deps.authenticator.sessionEnded(principal.session);
    return { status: 204 };
  },
});
