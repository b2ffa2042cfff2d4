import type { Db, PageRequest } from "@upfleet/db";
import { pageQuery, toPage } from "@upfleet/db";
import { ForbiddenError, LimitExceededError, NotFoundError, ValidationError } from "@upfleet/errors";
import { newId } from "@upfleet/ids";
import type { Actor } from "./actor.ts";
import { generateRawKey, keyLookupPrefix } from "./api-key-format.ts";
import { hashSecret, verifySecret } from "./passwords.ts";
import { canManageAllKeys, SCOPES, type Scope, scopesBeyondKey } from "./permissions.ts";
import { presentKey } from "./present.ts";

export const MAX_ACTIVE_KEYS_PER_USER = 10;
const MAX_KEY_LIFETIME_MS = 366 * 24 * 60 * 60 * 1000;
const DEFAULT_KEY_LIFETIME_MS = 365 * 24 * 60 * 60 * 1000;

export interface CreateKeyInput {
  name: string;
  scopes?: Scope[] | undefined;
  expiresAt?: Date | undefined;
}

/** Creates a key; the raw key appears in this return value and nowhere else, ever. */
export async function createKey(db: Db, actor: Actor, input: CreateKeyInput, now = new Date()) {
  const expiresAt = input.expiresAt ?? new Date(now.getTime() + DEFAULT_KEY_LIFETIME_MS);
  const oneYear = new Date(now);
  oneYear.setUTCFullYear(oneYear.getUTCFullYear() + 1);
  if (expiresAt.getTime() > oneYear.getTime() || expiresAt.getTime() - now.getTime() > MAX_KEY_LIFETIME_MS) {
    throw new ValidationError([{ path: "expires_at", message: "must be at most one year from now" }]);
  }
  if (expiresAt.getTime() <= now.getTime()) {
    throw new ValidationError([{ path: "expires_at", message: "must be in the future" }]);
  }
  // Empty means everything: stored expanded so that a key's power is always spelt out.
  const scopes = input.scopes?.length ? [...new Set(input.scopes)] : [...SCOPES];
  const beyond = scopesBeyondKey(actor.apiKey, scopes);
  if (beyond.length) throw new ForbiddenError(`This key cannot grant scopes it lacks: ${beyond.join(", ")}`);
  const rawKey = generateRawKey();
  const hash = await hashSecret(rawKey);
  const key = await db.$transaction(async (tx) => {
    // Per-user lock: two concurrent creations cannot both see nine keys and make twelve.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${actor.userId}))`;
    const active = await tx.apiKey.count({ where: { userId: actor.userId, revokedAt: null, expiresAt: { gt: now } } });
    if (active >= MAX_ACTIVE_KEYS_PER_USER) {
      throw new LimitExceededError(`A user may hold at most ${MAX_ACTIVE_KEYS_PER_USER} active keys; revoke one first`);
    }
    return tx.apiKey.create({
      data: {
        id: newId("apiKey"),
        organizationId: actor.organizationId,
        userId: actor.userId,
        name: input.name,
        prefix: keyLookupPrefix(rawKey),
        hash,
        scopes,
        expiresAt,
      },
    });
  });
  return { key: presentKey(key), raw_key: rawKey };
}

function visibleKeys(actor: Actor) {
  return canManageAllKeys(actor.role)
    ? { organizationId: actor.organizationId }
    : { organizationId: actor.organizationId, userId: actor.userId };
}

/** Active keys only: revoked and expired ones are gone as far as clients are concerned. */
export async function listKeys(db: Db, actor: Actor, page: PageRequest) {
  const query = pageQuery(page);
  const rows = await db.apiKey.findMany({
    ...query,
    where: { ...query.where, ...visibleKeys(actor), revokedAt: null, expiresAt: { gt: new Date() } },
  });
  return toPage(rows, page, presentKey);
}

/** Marks the key revoked; the caller broadcasts the revocation to every API instance's cache. */
export async function revokeKey(db: Db, actor: Actor, keyId: string, now = new Date()): Promise<void> {
  const { count } = await db.apiKey.updateMany({
    where: { id: keyId, ...visibleKeys(actor), revokedAt: null },
    data: { revokedAt: now },
  });
  if (count === 0) throw new NotFoundError("API key", keyId);
}

export interface VerifiedKey {
  keyId: string;
  name: string;
  keyScopes: string[];
  expiresAt: Date;
  organizationId: string;
  userId: string;
  role: Actor["role"];
  plan: string;
  /** Shown by GET /account; cached with the key, so a change shows within the cache's TTL. */
  email: string;
  organizationName: string;
}

/** Finds the live key matching a raw key (Argon2id check), or null. Costly: callers cache the answer. */
export async function verifyRawKey(db: Db, rawKey: string, now = new Date()): Promise<VerifiedKey | null> {
  const candidates = await db.apiKey.findMany({
    where: { prefix: keyLookupPrefix(rawKey), revokedAt: null, expiresAt: { gt: now } },
    include: { user: { include: { organization: true } } },
  });
  for (const candidate of candidates) {
    if (await verifySecret(candidate.hash, rawKey)) {
      return {
        keyId: candidate.id,
        name: candidate.name,
        keyScopes: candidate.scopes,
        expiresAt: candidate.expiresAt,
        organizationId: candidate.organizationId,
        userId: candidate.userId,
        role: candidate.user.role,
        email: candidate.user.email,
        organizationName: candidate.user.organization.name,
        plan: candidate.user.organization.plan,
      };
    }
  }
  return null;
}

/** Writes many `last_used_at` values in one statement (batched by the API, not per request). */
export async function recordKeyUsage(db: Db, usage: Map<string, Date>): Promise<void> {
  if (usage.size === 0) return;
  const ids = [...usage.keys()];
  const times = ids.map((id) => usage.get(id)!.toISOString());
  await db.$executeRaw`
    UPDATE api_keys AS k SET last_used_at = u.used_at
    FROM unnest(${ids}::text[], ${times}::timestamptz[]) AS u(id, used_at)
    WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < u.used_at)`;
}
