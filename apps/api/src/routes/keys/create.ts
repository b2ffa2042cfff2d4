import { createKey } from "@upfleet/accounts";
import { defineRoute } from "../../http/route.ts";
import { CreatedKey, CreateKeyBody } from "./schema.ts";

export const createKeyRoute = defineRoute({
  method: "post",
  path: "/keys",
  operationId: "keys.create",
  summary: "Create an API key for the calling user",
  description:
    "The raw key is in this response only. At most 10 active keys per user (409 beyond). " +
    "A key creating a key cannot grant scopes it lacks (403).",
  tag: "API keys",
  access: { scope: "keys:write" },
  body: CreateKeyBody,
  example: { name: "deploy script", scopes: ["monitors:read", "monitors:write"] },
  responses: {
    201: { description: "The key and its raw value", schema: CreatedKey },
    409: { description: "The user already holds 10 active keys; revoke one first" },
  },
  handle: async ({ body, principal, deps }) => ({
    status: 201,
    body: await createKey(deps.db, principal, { name: body.name, scopes: body.scopes, expiresAt: body.expires_at }),
  }),
});
