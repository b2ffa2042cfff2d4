import { createUser } from "@upfleet/accounts";
import { defineRoute } from "../../http/route.ts";
import { UserBody } from "../account/schema.ts";
import { CreateUserBody } from "./schema.ts";

export const createUserRoute = defineRoute({
  method: "post",
  path: "/users",
  summary: "Add a user to the organization",
  description:
    "Owners and admins only; with an API key, the key also needs `keys:write` " +
    "and every scope the new user's role grants (403 otherwise).",
  tag: "Accounts",
  access: { scope: "keys:write" },
  body: CreateUserBody,
  responses: { 201: { description: "The new user", schema: UserBody } },
  handle: async ({ body, principal, deps }) => ({ status: 201, body: await createUser(deps.db, principal, body) }),
});
