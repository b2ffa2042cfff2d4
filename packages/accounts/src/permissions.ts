import type { Role } from "@upfleet/db";

export const SCOPES = [
  "monitors:read",
  "monitors:write",
  "incidents:read",
  "incidents:write",
  "notifications:read",
  "notifications:write",
  "status-pages:read",
  "status-pages:write",
  "reports:read",
  "exports:read",
  "exports:write",
  "keys:read",
  "keys:write",
  "account:read",
  "fleet:read",
] as const;

export type Scope = (typeof SCOPES)[number];

export const ROLES = ["owner", "admin", "member", "viewer"] as const satisfies readonly Role[];

const READ_ONLY: readonly Scope[] = SCOPES.filter((scope) => scope.endsWith(":read"));

/** What each role may do at most; a key narrows it further, never widens it. */
const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  owner: SCOPES,
  admin: SCOPES,
  member: SCOPES,
  viewer: READ_ONLY,
};

/** A request's permissions: the key's scopes (all, for a session) intersected with the role's. */
export function effectiveScopes(role: Role, keyScopes: readonly string[] | null): ReadonlySet<Scope> {
  const allowed = ROLE_SCOPES[role];
  if (keyScopes === null) return new Set(allowed);
  const granted = new Set(keyScopes);
  return new Set(allowed.filter((scope) => granted.has(scope)));
}

/** Users are administered by owners and admins only ("member: no users"). */
export function canManageUsers(role: Role): boolean {
  return role === "owner" || role === "admin";
}

/** Owners and admins see and revoke every key of the organization; others only their own. */
export function canManageAllKeys(role: Role): boolean {
  return canManageUsers(role);
}

/**
 * Scopes in `wanted` that the calling key lacks. A key acts within its scopes, so it must not mint
 * a wider key, nor a user whose role reaches further (that user's session would do what the key
 * cannot). A session (no key) is bounded by its role instead, which canGrantRole decides.
 */
export function scopesBeyondKey(apiKey: { scopes: readonly string[] } | null | undefined, wanted: Iterable<Scope>) {
  if (!apiKey) return [];
  const held = new Set(apiKey.scopes);
  return [...wanted].filter((scope) => !held.has(scope));
}

/** Roles a user may hand out: nobody creates a user above their own rank, and there is one owner. */
export function canGrantRole(granter: Role, role: Role): boolean {
  if (role === "owner") return false;
  if (granter === "owner") return true;
  return granter === "admin";
}
