import type { Scope } from "@upfleet/accounts";
import type { RoleName } from "@upfleet/db";

/** The authenticated caller of one request. */
export interface Principal {
  organizationId: string;
  userId: string;
  role: RoleName;
  plan: string;
  email: string;
  organizationName: string;
  apiKey: { id: string; name: string; scopes: string[] } | null;
  /** The session token's id and expiry (unix seconds), for logout; null for an API key. */
  session: { jti: string; expiresAt: number } | null;
  /** Key scopes ∩ role, decided for this request. */
  scopes: ReadonlySet<Scope>;
  /** Rate limits count per API key, or per user for session tokens. */
  rateLimitSubject: string;
}
