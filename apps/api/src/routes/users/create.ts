import { createUser } from "@upfleet/accounts";
import { defineRoute } from "../../http/route.ts";
import { UserBody } from "../account/schema.ts";
import { CreateUserBody } from "./schema.ts";

export const createUserRoute = defineRoute({
  method: "post",
  path: "/users",
  operationId: "users.create",
  summary: "Add a user to the organization",
  description:
    "Owners and admins only; with an API key, the key also needs `keys:write` " +
    "and every scope the new user's role grants (403 otherwise).",
  tag: "Accounts",
  access: { scope: "keys:write" },
  body: CreateUserBody,
  example: { email: "grace@example.com", password: "another long passphrase", role: "member" },
  responses: {
    201: { description: "The new user", schema: UserBody },
    409: { description: "This email cannot be used (the same answer whoever holds it)" },
  },
  handle: async ({ body, principal, deps }) => ({ status: 201, body: await createUser(deps.db, principal, body) }),
});
