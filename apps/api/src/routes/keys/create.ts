import { createKey } from "@upfleet/accounts";
import { defineRoute } from "../../http/route.ts";
import { CreatedKey, CreateKeyBody } from "./schema.ts";

export const createKeyRoute = defineRoute({
  method: "post",
  path: "/keys",
  summary: "Create an API key for the calling user",
  description:
    "The raw key is in this response only. At most 10 active keys per user (409 beyond). " +
    "A key creating a key cannot grant scopes it lacks (403).",
  tag: "API keys",
  access: { scope: "keys:write" },
  body: CreateKeyBody,
  responses: { 201: { description: "The key and its raw value", schema: CreatedKey } },
  handle: async ({ body, principal, deps }) => ({
    status: 201,
    body: await createKey(deps.db, principal, { name: body.name, scopes: body.scopes, expiresAt: body.expires_at }),
  }),
});
