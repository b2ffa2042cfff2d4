import { API_KEY_SCOPES } from "@upfleet/sdk";
import type { components } from "../../api/client.ts";

type Scope = components["schemas"]["ApiKey"]["scopes"][number];
type Role = components["schemas"]["User"]["role"];

/** The roles a user may be given (owner is the organization's founder only) and what each may do. */
export const ROLES: { role: Exclude<Role, "owner">; can: string }[] = [
  { role: "admin", can: "everything, including users and every member's API keys" },
  { role: "member", can: "everything but users: monitors, incidents, alerting, status pages, own keys" },
  { role: "viewer", can: "read only" },
];

/** How long a new key lasts, in days (the API allows at most a year). */
export const EXPIRY_DAYS = [30, 90, 365] as const;

type CreateKey = components["schemas"]["CreateApiKeyRequest"];

/**
 * The create-key request from the form: no scope ticked leaves `scopes` out, which the API takes as
 * every scope the creator has; the expiry is that many days from `now`.
 */
export function keyRequest(form: FormData, now = Date.now()): CreateKey {
  const scopes = form.getAll("scopes").map(String) as Scope[];
  const days = Number(form.get("expires_in_days") ?? 365);
  return {
    name: String(form.get("name") ?? ""),
    ...(scopes.length > 0 ? { scopes } : {}),
    expires_at: new Date(now + days * 86_400_000).toISOString(),
  };
}

/** A key's scopes in a table cell: "all" when it has every one. */
export function scopesLabel(scopes: readonly string[]): string {
  return API_KEY_SCOPES.every((s) => scopes.includes(s)) ? "all" : scopes.join(", ");
}
