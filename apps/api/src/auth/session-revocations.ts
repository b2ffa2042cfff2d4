import type { VerifiedSession } from "@upfleet/accounts";
import { SESSION_TTL_SECONDS } from "@upfleet/accounts";
import type { RedisConnection } from "@upfleet/queue/redis";

/** A revocation is kept a little past the longest token's life, then Redis forgets it. */
const KEEP_MS = (SESSION_TTL_SECONDS + 120) * 1000;

/**
 * Revoked sessions, shared by every API instance through Redis: one token by its `jti` (logout),
 * kept until that token would expire anyway; and all of a user's tokens issued before a moment
 * (user deleted, role changed), kept for a session's lifetime, after which no older token is valid.
 */
export class SessionRevocations {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
  ) {}

  private tokenKey(jti: string): string {
    return `${this.prefix}:session:revoked:${jti}`;
  }

  private userKey(userId: string): string {
    return `${this.prefix}:session:valid-after:${userId}`;
  }

  /** One round trip per session request. Throws while Redis is down (a 503: never fail open). */
  async isRevoked(session: Pick<VerifiedSession, "jti" | "userId" | "issuedAt">): Promise<boolean> {
    const [revoked, validAfter] = await this.redis.mget(this.tokenKey(session.jti), this.userKey(session.userId));
    if (revoked !== null) return true;
    // `iat` has whole seconds: a token from the same second as the revocation counts as before it.
    return validAfter !== null && session.issuedAt * 1000 < Number(validAfter);
  }

  async revoke(session: Pick<VerifiedSession, "jti" | "expiresAt">, now = Date.now()): Promise<void> {
    const ttl = Math.max(1000, session.expiresAt * 1000 - now + 60_000);
    await this.redis.set(this.tokenKey(session.jti), "1", "PX", ttl);
  }

  async revokeUser(userId: string, now = Date.now()): Promise<void> {
    await this.redis.set(this.userKey(userId), String(now), "PX", KEEP_MS);
  }
}
