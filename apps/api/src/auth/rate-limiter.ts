import { RateLimitedError, UnavailableError } from "@upfleet/errors";
import type { Redis } from "ioredis";

export interface RateLimits {
  perMinute: number;
  perHour: number;
}

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Unix seconds when the minute window resets. */
  reset: number;
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

export interface MinuteLimit {
  subject: string;
  perMinute: number;
}

type Scripts = {
  upfleetRateLimit(k1: string, k2: string, a1: number, a2: number): Promise<[number, number]>;
  upfleetRateLimitMinutes(keyCount: number, ...keysThenArgs: (string | number)[]): Promise<number[]>;
};

export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    "X-RateLimit-Limit": String(state.limit),
    "X-RateLimit-Remaining": String(state.remaining),
    "X-RateLimit-Reset": String(state.reset),
  };
}

export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    redis.defineCommand("upfleetRateLimit", { numberOfKeys: 2, lua: CONSUME });
    redis.defineCommand("upfleetRateLimitMinutes", { lua: CONSUME_MINUTES });
  }

  private get scripts(): Scripts {
    return this.redis as unknown as Scripts;
  }

  /** Counts one request; throws RateLimitedError (with Retry-After) past either limit. */
  async consume(subject: string, limits: RateLimits, now = Date.now()): Promise<RateLimitState> {
    const minuteWindow = Math.floor(now / 60_000);
    const hourWindow = Math.floor(now / 3_600_000);
    let counts: [number, number];
    try {
      counts = await this.scripts.upfleetRateLimit(
        `${this.prefix}:rl:${subject}:m:${minuteWindow}`,
        `${this.prefix}:rl:${subject}:h:${hourWindow}`,
        61_000,
        3_601_000,
      );
    } catch (error) {
      throw new UnavailableError("Redis", error);
    }
    const [minute, hour] = counts;
    const minuteReset = (minuteWindow + 1) * 60;
    const state = { limit: limits.perMinute, remaining: Math.max(0, limits.perMinute - minute), reset: minuteReset };
    if (hour > limits.perHour) {
      throw new RateLimitedError(
        Math.max(1, (hourWindow + 1) * 3600 - Math.floor(now / 1000)),
        rateLimitHeaders({ ...state, limit: limits.perHour, remaining: 0, reset: (hourWindow + 1) * 3600 }),
      );
    }
    if (minute > limits.perMinute) {
      throw new RateLimitedError(Math.max(1, minuteReset - Math.floor(now / 1000)), rateLimitHeaders(state));
    }
    return state;
  }

  /**
   * Counts one request against several subjects' minute windows in one round trip (a hot path with
   * two limits pays one EVAL, not two); throws RateLimitedError for the first subject over its limit.
   * Every subject is counted, refused or not, as `consume` does.
   */
  async consumeMinutes(limits: MinuteLimit[], now = Date.now()): Promise<void> {
    const window = Math.floor(now / 60_000);
    let counts: number[];
    try {
      counts = await this.scripts.upfleetRateLimitMinutes(
        limits.length,
        ...limits.map((l) => `${this.prefix}:rl:${l.subject}:m:${window}`),
        61_000,
      );
    } catch (error) {
      throw new UnavailableError("Redis", error);
    }
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
