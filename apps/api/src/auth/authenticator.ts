import {
  effectiveScopes,
  KEY_PREFIX,
  keyFingerprint,
  keyLookupPrefix,
  loadAccount,
  looksLikeApiKey,
  recordKeyUsage,
  type SessionTokens,
  type VerifiedKey,
  verifyRawKey,
} from "@upfleet/accounts";
import type { Db } from "@upfleet/db";
import { UnauthorizedError } from "@upfleet/errors";
import type { Logger } from "@upfleet/logger";
import type { RedisConnection } from "@upfleet/queue/redis";
import type { FailedAuthLimiter } from "./failed-auth.ts";
import { KeyCache } from "./key-cache.ts";
import type { Principal } from "./principal.ts";
import type { SessionRevocations } from "./session-revocations.ts";

const KEY_CACHE_TTL_MS = 30_000;
const USAGE_FLUSH_MS = 5_000;

interface Invalidation {
  keyId?: string;
  userId?: string;
}

/** A credential and the header it came in: `X-API-Key` holds API keys only, never a session. */
export interface Credential {
  value: string;
  header: "x-api-key" | "authorization";
}

/** Pulls the credential out of `X-API-Key` or `Authorization: Bearer`. */
export function readCredential(headers: {
  apiKey?: string | undefined;
  authorization?: string | undefined;
}): Credential | undefined {
  if (headers.apiKey) return { value: headers.apiKey.trim(), header: "x-api-key" };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? "");
  return match?.[1] ? { value: match[1], header: "authorization" } : undefined;
}

/**
 * Turns credentials into principals. API keys are verified with Argon2 once, then served from an
 * in-process cache; revocations and user removals are broadcast over Redis pub/sub so every API
 * instance drops the key within a second. `last_used_at` is batched, not written per request.
 */
export class Authenticator {
  private readonly cache = new KeyCache(KEY_CACHE_TTL_MS);
  private readonly pending = new Map<string, Promise<VerifiedKey | null>>();
  private readonly usage = new Map<string, Date>();
  private readonly channel: string;
  private flushTimer: NodeJS.Timeout | undefined;
  /** Subscribed to invalidations: only then may a verified key be served from the cache. */
  private listening = false;
  /** Bumped by every eviction: a verification that overlapped one must not fill the cache. */
  private invalidations = 0;

  constructor(
    private readonly deps: {
      db: Db;
      tokens: SessionTokens;
      publisher: RedisConnection;
      subscriber: RedisConnection;
      redisPrefix: string;
      logger: Logger;
      revocations: SessionRevocations;
      failures: FailedAuthLimiter;
    },
  ) {
    this.channel = `${deps.redisPrefix}:auth:invalidate`;
  }

  start(): void {
    const { subscriber } = this.deps;
    subscriber.on("message", (channel: string, message: string) => {
      if (channel !== this.channel) return;
      try {
        this.forget(JSON.parse(message) as Invalidation);
      } catch (error) {
        this.deps.logger.warn({ err: error }, "ignoring a malformed invalidation message");
      }
    });
    // Not awaited: with Redis down at start the API still starts (and /readyz says why).
    const subscribe = () =>
      subscriber.subscribe(this.channel).then(
        () => {
          this.listening = true;
        },
        (error: unknown) => this.deps.logger.error({ err: error }, "could not subscribe to credential invalidations"),
      );
    // Only once ready: a SUBSCRIBE sent during ioredis' handshake fails its ready check, and the
    // reconnection that follows does not subscribe again, leaving this instance deaf to revocations.
    subscriber.on("ready", () => {
      this.forget();
      void subscribe();
    });
    if (subscriber.status === "ready") void subscribe();
    // Messages sent while we are disconnected are lost: trust no cached key until we listen again.
    subscriber.on("close", () => {
      this.listening = false;
      this.forget();
    });
  }

  async stop(): Promise<void> {
    clearTimeout(this.flushTimer);
    await this.flushUsage();
  }

  /** `ipBucket` is the client's (clientIpBucket): failed key checks are limited by it. */
  async authenticate(credential: Credential | undefined, ipBucket: string): Promise<Principal> {
    if (!credential) throw new UnauthorizedError("Missing credentials: send X-API-Key or Authorization: Bearer");
    if (credential.value.startsWith(KEY_PREFIX)) return this.fromApiKey(credential.value, ipBucket);
    if (credential.header === "x-api-key") {
      throw new UnauthorizedError("X-API-Key takes an API key (upf_…); send a session token as Authorization: Bearer");
    }
    return this.fromSession(credential.value);
  }

  /** Logs a session out everywhere: its token is refused by every instance until it would expire. */
  async sessionEnded(session: { jti: string; expiresAt: number }): Promise<void> {
    await this.deps.revocations.revoke(session);
  }

  /** Drops a key everywhere: here at once, on other instances through pub/sub. */
  async keyRevoked(keyId: string): Promise<void> {
    await this.broadcast({ keyId });
  }

  /** A user deleted (or their role changed): their cached keys and every session they hold end. */
  async userRemoved(userId: string): Promise<void> {
    await this.deps.revocations.revokeUser(userId);
    await this.broadcast({ userId });
  }

  private forget(match?: Invalidation): void {
    this.invalidations++;
    // Requests from now on verify afresh rather than join a verification that began before.
    this.pending.clear();
    if (match) this.cache.evict(match);
    else this.cache.clear();
  }

  private async broadcast(invalidation: Invalidation): Promise<void> {
    this.forget(invalidation);
    try {
      await this.deps.publisher.publish(this.channel, JSON.stringify(invalidation));
    } catch (error) {
      // The database already says revoked; other instances' caches expire within the TTL anyway.
      this.deps.logger.error({ err: error, ...invalidation }, "could not broadcast a credential invalidation");
    }
  }

  private async fromApiKey(rawKey: string, ipBucket: string): Promise<Principal> {
    if (!looksLikeApiKey(rawKey)) throw new UnauthorizedError("Malformed API key");
    const fingerprint = keyFingerprint(rawKey);
    let key = this.cache.get(fingerprint);
    if (!key) {
      // Before any Argon2 work: a client (or a key prefix) with too many failures is refused here.
      // A key verified recently is served from the cache above, so guesses at its prefix cannot
      // lock out a client that is using it.
      const failureSubjects = [this.deps.failures.ip(ipBucket), this.deps.failures.keyPrefix(keyLookupPrefix(rawKey))];
      await this.deps.failures.check(failureSubjects);
      // Concurrent first uses of one key share a single Argon2 verification.
      let verifying = this.pending.get(fingerprint);
      if (!verifying) {
        const epoch = this.invalidations;
        const verification: Promise<VerifiedKey | null> = verifyRawKey(this.deps.db, rawKey)
          .then((verified) => {
            // A revocation may have passed while the row was read and hashed: answer, but cache nothing.
            if (verified && this.listening && epoch === this.invalidations) this.cache.set(fingerprint, verified);
            return verified;
          })
          .finally(() => {
            if (this.pending.get(fingerprint) === verification) this.pending.delete(fingerprint);
          });
        verifying = verification;
        this.pending.set(fingerprint, verifying);
      }
      const verified = await verifying;
      if (!verified) {
        await this.deps.failures.fail(failureSubjects);
        throw new UnauthorizedError("Unknown, expired or revoked API key");
      }
      key = verified;
    }
    this.usage.set(key.keyId, new Date());
    this.flushSoon();
    return {
      organizationId: key.organizationId,
      userId: key.userId,
      role: key.role,
      plan: key.plan,
      email: key.email,
      organizationName: key.organizationName,
      apiKey: { id: key.keyId, name: key.name, scopes: key.keyScopes },
      session: null,
      scopes: effectiveScopes(key.role, key.keyScopes),
      rateLimitSubject: `key:${key.keyId}`,
    };
  }

  private async fromSession(token: string): Promise<Principal> {
    const claims = await this.deps.tokens.verify(token);
    if (await this.deps.revocations.isRevoked(claims)) throw new UnauthorizedError("Session token has been revoked");
    const user = await loadAccount(this.deps.db, claims);
    if (!user) throw new UnauthorizedError("The session's user no longer exists");
    return {
      organizationId: user.organization.id,
      userId: user.id,
      role: user.role,
      plan: user.organization.plan,
      email: user.email,
      organizationName: user.organization.name,
      apiKey: null,
      session: { jti: claims.jti, expiresAt: claims.expiresAt },
      scopes: effectiveScopes(user.role, null),
      rateLimitSubject: `user:${user.id}`,
    };
  }

  /** Writes the usage within USAGE_FLUSH_MS; no timer runs while no key is used (an idle API wakes for nothing). */
  private flushSoon(): void {
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      void this.flushUsage();
    }, USAGE_FLUSH_MS).unref();
  }

  private async flushUsage(): Promise<void> {
    if (this.usage.size === 0) return;
    const batch = new Map(this.usage);
    this.usage.clear();
    try {
      await recordKeyUsage(this.deps.db, batch);
    } catch (error) {
      this.deps.logger.warn({ err: error, keys: batch.size }, "could not record key usage; will retry");
      for (const [id, at] of batch) if (!this.usage.has(id)) this.usage.set(id, at);
      this.flushSoon();
    }
  }
}
