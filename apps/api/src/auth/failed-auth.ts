import { createHash } from "node:crypto";
import { RateLimitedError, UnavailableError } from "@upfleet/errors";
import type { RedisConnection } from "@upfleet/queue/redis";

/**
 * How many failures a subject may have: `limit` within `windowMs`, then it is locked out for the
 * rest of the window; or, with `backoffMs`, locked out for backoffMs × 2^(failures − limit),
 * capped at `maxLockMs`, and its count kept for `windowMs` after its last failure.
 */
interface FailurePolicy {
  limit: number;
  windowMs: number;
  backoffMs?: number;
  maxLockMs?: number;
}

export interface FailureSubject {
  /** e.g. `ip:4:203.0.113.7`, `key:upf_a1B2c3D4`, `email:ada@example.com`. */
  key: string;
  policy: FailurePolicy;
}

/**
 * Counts one failure per subject; a subject reaching its limit gets a lock key with the lock-out's
 * length as TTL. KEYS: counter, lock, counter, lock, …; ARGV: limit, window, backoff, cap per subject.
 */
const FAIL = `
for i = 1, #KEYS / 2 do
  local counter, lock = KEYS[2 * i - 1], KEYS[2 * i]
  local limit, window = tonumber(ARGV[4 * i - 3]), tonumber(ARGV[4 * i - 2])
  local backoff, cap = tonumber(ARGV[4 * i - 1]), tonumber(ARGV[4 * i])
  local count = redis.call('INCR', counter)
  if count == 1 or backoff > 0 then redis.call('PEXPIRE', counter, window) end
  if count >= limit then
    local ms
    if backoff > 0 then
      ms = math.min(cap, backoff * math.pow(2, math.min(count - limit, 40)))
    else
      ms = redis.call('PTTL', counter)
    end
    if ms > 0 then redis.call('SET', lock, '1', 'PX', math.floor(ms)) end
  end
end
return 0
`;

/** The longest remaining lock-out among the subjects, in ms (≤ 0: none). */
const LOCKED_FOR = `
local longest = 0
for _, lock in ipairs(KEYS) do
  local ms = redis.call('PTTL', lock)
  if ms > longest then longest = ms end
end
return longest
`;

export interface FailureLimits {
  perIp: number;
  perKeyPrefix: number;
  perEmail: number;
  windowMs: number;
}

/** An email's failures are remembered for a day after the last one, so the doubling resumes. */
const EMAIL_MEMORY_MS = 24 * 60 * 60 * 1000;
const EMAIL_BACKOFF_MS = 30_000;
const EMAIL_MAX_LOCK_MS = 60 * 60 * 1000;

type Scripts = {
  upfleetAuthFail(keyCount: number, ...keysThenArgs: (string | number)[]): Promise<number>;
  upfleetAuthLockedFor(keyCount: number, ...keys: string[]): Promise<number>;
};

/**
 * Failed authentications (API keys, passwords), counted in Redis so every API instance shares them.
 * `check` runs before any Argon2 work and refuses a locked-out subject with 429 and Retry-After;
 * only failures are counted, so a client that authenticates correctly is never slowed down.
 */
export class FailedAuthLimiter {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    private readonly limits: FailureLimits,
  ) {
    redis.defineCommand("upfleetAuthFail", { lua: FAIL });
    redis.defineCommand("upfleetAuthLockedFor", { lua: LOCKED_FOR });
  }

  /** A client IP bucket (clientIpBucket): every failure from it, whatever it tried. */
  ip(bucket: string): FailureSubject {
    return { key: `ip:${bucket}`, policy: { limit: this.limits.perIp, windowMs: this.limits.windowMs } };
  }

  /** An API key's lookup prefix: guesses at one key from many addresses. */
  keyPrefix(prefix: string): FailureSubject {
    return { key: `key:${prefix}`, policy: { limit: this.limits.perKeyPrefix, windowMs: this.limits.windowMs } };
  }

  /** An account's email (hashed: Redis need not hold addresses), with doubling lock-outs. */
  email(email: string): FailureSubject {
    const digest = createHash("sha256").update(email.trim().toLowerCase()).digest("base64url");
    return {
      key: `email:${digest}`,
      policy: {
        limit: this.limits.perEmail,
        windowMs: EMAIL_MEMORY_MS,
        backoffMs: EMAIL_BACKOFF_MS,
        maxLockMs: EMAIL_MAX_LOCK_MS,
      },
    };
  }

  private get scripts(): Scripts {
    return this.redis as unknown as Scripts;
  }

  private counterKey(subject: string): string {
    return `${this.prefix}:authfail:${subject}`;
  }

  private lockKey(subject: string): string {
    return `${this.prefix}:authfail:${subject}:lock`;
  }

  /** Throws RateLimitedError while any subject is locked out. */
  async check(subjects: FailureSubject[]): Promise<void> {
    let lockedMs: number;
    try {
      lockedMs = await this.scripts.upfleetAuthLockedFor(
        subjects.length,
        ...subjects.map((subject) => this.lockKey(subject.key)),
      );
    } catch (error) {
      throw new UnavailableError("Redis", error);
    }
    if (lockedMs > 0) throw new RateLimitedError(Math.max(1, Math.ceil(lockedMs / 1000)));
  }

  async fail(subjects: FailureSubject[]): Promise<void> {
    const args = subjects.flatMap(({ policy }) => [
      policy.limit,
      policy.windowMs,
      policy.backoffMs ?? 0,
      policy.maxLockMs ?? policy.windowMs,
    ]);
    try {
      await this.scripts.upfleetAuthFail(
        subjects.length * 2,
        ...subjects.flatMap((subject) => [this.counterKey(subject.key), this.lockKey(subject.key)]),
        ...args,
      );
    } catch (error) {
      throw new UnavailableError("Redis", error);
    }
  }

  /** Forgets a subject's failures (a successful login clears its email's backoff, not its IP's). */
  async clear(subject: FailureSubject): Promise<void> {
    try {
      await this.redis.del(this.counterKey(subject.key), this.lockKey(subject.key));
    } catch (error) {
      throw new UnavailableError("Redis", error);
    }
  }
}
