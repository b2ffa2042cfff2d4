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
  }

  /** Counts one request; throws RateLimitedError (with Retry-After) past either limit. */
  async consume(subject: string, limits: RateLimits, now = Date.now()): Promise<RateLimitState> {
    const minuteWindow = Math.floor(now / 60_000);
    const hourWindow = Math.floor(now / 3_600_000);
    let counts: [number, number];
    try {
      counts = await (
        this.redis as unknown as {
          upfleetRateLimit(k1: string, k2: string, a1: number, a2: number): Promise<[number, number]>;
        }
      ).upfleetRateLimit(
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
}
