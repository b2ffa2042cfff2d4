import type { ApiKey, Organization, User } from "@upfleet/db";

/** The API's shapes for account objects: snake_case, ISO timestamps, never a hash. */
export function presentUser(user: User) {
  return { id: user.id, email: user.email, role: user.role, created_at: user.createdAt.toISOString() };
}

export function presentOrganization(org: Organization) {
  return { id: org.id, name: org.name, plan: org.plan, created_at: org.createdAt.toISOString() };
}

export function presentKey(key: ApiKey) {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    created_at: key.createdAt.toISOString(),
    expires_at: key.expiresAt.toISOString(),
    last_used_at: key.lastUsedAt?.toISOString() ?? null,
  };
}
