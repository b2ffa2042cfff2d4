import { listUsers } from "@upfleet/accounts";
import { defineRoute } from "../../http/route.ts";
import { PageQuery } from "../../http/schemas.ts";
import { UserList } from "./schema.ts";

export const listUsersRoute = defineRoute({
  method: "get",
  path: "/users",
  operationId: "users.list",
  summary: "List the organization's users",
  tag: "Accounts",
  access: { scope: "account:read" },
  query: PageQuery,
  responses: { 200: { description: "Users, newest first", schema: UserList } },
  handle: async ({ query, principal, deps }) => ({ status: 200, body: await listUsers(deps.db, principal, query) }),
});
