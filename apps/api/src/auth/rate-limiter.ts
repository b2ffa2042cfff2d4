import { RateLimitedError, UnavailableError } from "@upfleet/errors";
import type { RedisConnection } from "@upfleet/queue/redis";
import { LocalCounts } from "./local-counts.ts";

export interface RateLimits {
  perMinute: number;
  perHour: number;
}

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Unix seconds when the minute window resets. */
  reset: number;
  /** The hour window's figures (X-RateLimit-Hour-*), so a client that polls can pace itself for both. */
  hour?: { limit: number; remaining: number; reset: number };
}

/** What `consume` counted, so that `refund` can take back the same windows' points. */
export interface Spent extends RateLimitState {
  keys: { minute: string; hour: string; refunds: string };
  perMinute: number;
}

/**
 * Fixed minute and hour windows counted in Redis, so every API instance shares one counter.
 * One round trip: the script increments both windows, sets their expiry on first use, and returns
 * both counts. A refused request still counts, which is what stops a client hammering at the limit.
 */
const CONSUME = `
local minute = redis.call('INCR', KEYS[1])
if minute == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local hour = redis.call('INCR', KEYS[2])
if hour == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
return {minute, hour}
`;

/** Minute windows only, any number of keys: each is incremented (expiry set on first use), counts back. */
const CONSUME_MINUTES = `
local counts = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if count == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
  counts[i] = count
end
return counts
`;

/**
 * Takes back one request's points (a 304: GET's answer the client already held, see route.ts) in
 * the windows it was counted in. Free revalidations are themselves capped per minute (ARGV[1]),
 * since a 304 still costs the server its query: past the cap they count as any request does.
 * Returns 1 when refunded.
 */
const REFUND = `
local refunds = redis.call('INCR', KEYS[3])
if refunds == 1 then redis.call('PEXPIRE', KEYS[3], ARGV[2]) end
if refunds > tonumber(ARGV[1]) then return 0 end
for i = 1, 2 do
  if redis.call('EXISTS', KEYS[i]) == 1 then redis.call('DECR', KEYS[i]) end
end
return 1
`;

/** How many times the minute limit a credential may revalidate for free (answered 304) in a minute. */
const FREE_REVALIDATIONS_PER_LIMIT = 10;

export interface MinuteLimit {
  subject: string;
  perMinute: number;
}

type Scripts = {
  upfleetRateLimit(k1: string, k2: string, a1: number, a2: number): Promise<[number, number]>;
  upfleetRateLimitMinutes(keyCount: number, ...keysThenArgs: (string | number)[]): Promise<number[]>;
  upfleetRateLimitRefund(k1: string, k2: string, k3: string, cap: number, ttlMs: number): Promise<number>;
};

export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    "X-RateLimit-Limit": String(state.limit),
    "X-RateLimit-Remaining": String(state.remaining),
    "X-RateLimit-Reset": String(state.reset),
    ...(state.hour && {
      "X-RateLimit-Hour-Limit": String(state.hour.limit),
      "X-RateLimit-Hour-Remaining": String(state.hour.remaining),
      "X-RateLimit-Hour-Reset": String(state.hour.reset),
    }),
  };
}

/** How long a count may wait for Redis before it is made in-process (set on the limiter's connection). */
export const LIMIT_COMMAND_TIMEOUT_MS = 1_000;

/** Whether Redis is out of reach, rather than answering with an error. */
function unreachable(redis: RedisConnection, error: unknown): boolean {
  return redis.status !== "ready" || (error instanceof Error && error.message === "Command timed out");
}

/**
 * Counts in Redis, shared by every API instance. While Redis is unreachable the counts are this
 * process's own (LocalCounts): a heartbeat ping or a public page must not fail because the shared
 * counter is away (issue #14 point 8: a cron job's ping refused with 503 opened a false incident).
 * A Redis that answers with an error still fails the request: that is a fault to see, not an outage.
 */
export class RateLimiter {
  private readonly local = new LocalCounts();

  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
  ) {
    redis.defineCommand("upfleetRateLimit", { numberOfKeys: 2, lua: CONSUME });
    redis.defineCommand("upfleetRateLimitMinutes", { lua: CONSUME_MINUTES });
    redis.defineCommand("upfleetRateLimitRefund", { numberOfKeys: 3, lua: REFUND });
  }

  private get scripts(): Scripts {
    return this.redis as unknown as Scripts;
  }

  /** Counts `keys` in Redis, or in this process while Redis is out of reach. */
  private async count(keys: string[], ttlMs: number[], script: () => Promise<number[]>): Promise<number[]> {
    try {
      return await script();
    } catch (error) {
      if (!unreachable(this.redis, error)) throw new UnavailableError("Redis", error);
      return keys.map((key, i) => this.local.increment(key, ttlMs[i]!));
    }
  }

  /** Counts one request; throws RateLimitedError (with Retry-After) past either limit. */
  async consume(subject: string, limits: RateLimits, now = Date.now()): Promise<Spent> {
    const minuteWindow = Math.floor(now / 60_000);
    const hourWindow = Math.floor(now / 3_600_000);
    const keys = {
      minute: `${this.prefix}:rl:${subject}:m:${minuteWindow}`,
      hour: `${this.prefix}:rl:${subject}:h:${hourWindow}`,
      refunds: `${this.prefix}:rl:${subject}:r:${minuteWindow}`,
    };
    const [minute, hour] = (await this.count([keys.minute, keys.hour], [61_000, 3_601_000], () =>
      this.scripts.upfleetRateLimit(keys.minute, keys.hour, 61_000, 3_601_000),
    )) as [number, number];
    const minuteReset = (minuteWindow + 1) * 60;
    const hourReset = (hourWindow + 1) * 3600;
    const state = {
      limit: limits.perMinute,
      remaining: Math.max(0, limits.perMinute - minute),
      reset: minuteReset,
      hour: { limit: limits.perHour, remaining: Math.max(0, limits.perHour - hour), reset: hourReset },
    };
    if (hour > limits.perHour) {
      throw new RateLimitedError(
        Math.max(1, hourReset - Math.floor(now / 1000)),
        rateLimitHeaders({ ...state, limit: limits.perHour, remaining: 0, reset: hourReset }),
      );
    }
    if (minute > limits.perMinute) {
      throw new RateLimitedError(Math.max(1, minuteReset - Math.floor(now / 1000)), rateLimitHeaders(state));
    }
    return { ...state, keys, perMinute: limits.perMinute };
  }

  /**
   * Takes back what `consume` counted (see REFUND), and returns the state to report, or null when
   * the minute's free revalidations are used up. While Redis is out of reach nothing is taken back:
   * the counts are then this process's own, and a refund is a courtesy, not a promise.
   */
  async refund(spent: Spent): Promise<RateLimitState | null> {
    const { keys } = spent;
    const refunded = await this.scripts
      .upfleetRateLimitRefund(
        keys.minute,
        keys.hour,
        keys.refunds,
        spent.perMinute * FREE_REVALIDATIONS_PER_LIMIT,
        61_000,
      )
      .catch(() => 0);
    if (!refunded) return null;
    const back = ({ limit, remaining, reset }: { limit: number; remaining: number; reset: number }) => ({
      limit,
      remaining: Math.min(limit, remaining + 1),
      reset,
    });
    return { ...back(spent), hour: spent.hour && back(spent.hour) };
  }

  /**
   * Counts one request against several subjects' minute windows in one round trip (a hot path with
   * two limits pays one EVAL, not two); throws RateLimitedError for the first subject over its limit.
   * Every subject is counted, refused or not, as `consume` does.
   */
  async consumeMinutes(limits: MinuteLimit[], now = Date.now()): Promise<void> {
    const window = Math.floor(now / 60_000);
    const keys = limits.map((l) => `${this.prefix}:rl:${l.subject}:m:${window}`);
    const counts = await this.count(
      keys,
      keys.map(() => 61_000),
      () => this.scripts.upfleetRateLimitMinutes(keys.length, ...keys, 61_000),
    );
    const reset = (window + 1) * 60;
    limits.forEach(({ perMinute }, i) => {
      if (counts[i]! <= perMinute) return;
      throw new RateLimitedError(
        Math.max(1, reset - Math.floor(now / 1000)),
        rateLimitHeaders({ limit: perMinute, remaining: 0, reset }),
      );
    });
  }
}
