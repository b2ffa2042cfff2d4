import { deleteUser } from "@upfleet/accounts";
import { defineRoute } from "../../http/route.ts";
import { UserParams } from "./schema.ts";

export const deleteUserRoute = defineRoute({
  method: "delete",
  path: "/users/:id",
  operationId: "users.delete",
  summary: "Remove a user and revoke their keys",
  description: "Owners and admins only; with an API key, the key also needs `keys:write`.",
  tag: "Accounts",
  access: { scope: "keys:write" },
  params: UserParams,
  entity: "User",
  responses: {
    204: { description: "Removed" },
    409: { description: "You cannot delete yourself" },
  },
  handle: async ({ params, principal, deps }) => {
    await deleteUser(deps.db, principal, params.id);
    await deps.authenticator.userRemoved(params.id);
    return { status: 204 };
  },
});
