import { listKeys } from "@upfleet/accounts";
import { defineRoute } from "../../http/route.ts";
import { PageQuery } from "../../http/schemas.ts";
import { KeyList } from "./schema.ts";

export const listKeysRoute = defineRoute({
  method: "get",
  path: "/keys",
  operationId: "keys.list",
  summary: "List active API keys (owners and admins see the whole organization's)",
  tag: "API keys",
  access: { scope: "keys:read" },
  query: PageQuery,
  responses: { 200: { description: "Keys, newest first; never the raw key", schema: KeyList } },
  handle: async ({ query, principal, deps }) => ({ status: 200, body: await listKeys(deps.db, principal, query) }),
});
