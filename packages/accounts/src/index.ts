export { loadAccount } from "./account.ts";
export type { Actor } from "./actor.ts";
export { KEY_PREFIX, keyFingerprint, keyLookupPrefix, looksLikeApiKey } from "./api-key-format.ts";
export {
  type CreateKeyInput,
  createKey,
  listKeys,
  MAX_ACTIVE_KEYS_PER_USER,
  recordKeyUsage,
  revokeKey,
  type VerifiedKey,
  verifyRawKey,
} from "./keys.ts";
export { login } from "./login.ts";
export { assertAcceptablePassword, passwordProblem } from "./password-policy.ts";
export { hashSecret } from "./passwords.ts";
export { canManageUsers, effectiveScopes, ROLES, SCOPES, type Scope } from "./permissions.ts";
export { presentKey, presentOrganization, presentUser } from "./present.ts";
export {
  createSessionTokens,
  SESSION_TTL_SECONDS,
  type SessionClaims,
  type SessionTokens,
  type VerifiedSession,
} from "./sessions.ts";
export { type SignupInput, signup } from "./signup.ts";
export { createUser, deleteUser, listUsers } from "./users.ts";
