import { revokeKey } from "@upfleet/accounts";
import { defineRoute } from "../../http/route.ts";
import { KeyParams } from "./schema.ts";

export const deleteKeyRoute = defineRoute({
  method: "delete",
  path: "/keys/:id",
  operationId: "keys.delete",
  summary: "Revoke an API key on every API instance",
  tag: "API keys",
  access: { scope: "keys:write" },
  params: KeyParams,
  entity: "API key",
  responses: { 204: { description: "Revoked" } },
  handle: async ({ params, principal, deps }) => {
    await revokeKey(deps.db, principal, params.id);
    await deps.authenticator.keyRevoked(params.id);
    return { status: 204 };
  },
});
