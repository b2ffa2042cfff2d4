import { randomBytes } from "node:crypto";
import type { Scope } from "@upfleet/accounts";
import type { TestApi } from "./test-api.ts";

export const PASSWORD = "correct horse battery";

export interface TestUser {
  id: string;
  organizationId: string;
  email: string;
  role: string;
  /** A session JWT. */
  token: string;
}

function uniqueEmail(label: string): string {
  return `${label}-${randomBytes(4).toString("hex")}@example.com`;
}

/**
 * Signs up a new organization and returns its owner (needs OPEN_SIGNUP=true after the first).
 * `email` when the test must know it before (e.g. to list it in FLEET_ADMIN_EMAILS).
 */
export async function signupOwner(api: TestApi, label = "owner", email = uniqueEmail(label)): Promise<TestUser> {
  const res = await api.request("POST", "/api/v1/auth/signup", {
    body: { email, password: PASSWORD, organization_name: `${label} org` },
  });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${res.text}`);
  return {
    id: res.body.user.id,
    organizationId: res.body.organization.id,
    email,
    role: "owner",
    token: res.body.token,
  };
}

/** Adds a user with `role` to the owner's organization and logs them in. */
export async function addUser(api: TestApi, owner: TestUser, role: "admin" | "member" | "viewer"): Promise<TestUser> {
  const email = uniqueEmail(role);
  const created = await api.request("POST", "/api/v1/users", {
    auth: owner.token,
    body: { email, password: PASSWORD, role },
  });
  if (created.status !== 201) throw new Error(`create user failed: ${created.status} ${created.text}`);
  const login = await api.request("POST", "/api/v1/auth/login", { body: { email, password: PASSWORD } });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`);
  return { id: created.body.id, organizationId: owner.organizationId, email, role, token: login.body.token };
}

/** Creates an API key for `user` and returns its id and raw value. */
export async function createKey(
  api: TestApi,
  user: TestUser,
  options: { scopes?: Scope[]; name?: string } = {},
): Promise<{ id: string; raw: string }> {
  const res = await api.request("POST", "/api/v1/keys", {
    auth: user.token,
    body: { name: options.name ?? "test key", ...(options.scopes ? { scopes: options.scopes } : {}) },
  });
  if (res.status !== 201) throw new Error(`create key failed: ${res.status} ${res.text}`);
  return { id: res.body.key.id, raw: res.body.raw_key };
}
