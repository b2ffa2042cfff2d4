import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * Leadership for periodic work that must run in one process only (dispatching, reconciling).
 * A holder renews its lease; if it dies, the lease expires and another instance takes over.
 */
export class LeaderLock {
  private readonly token = randomUUID();
  private held = false;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly ttlMs = 10_000,
  ) {}

  get isHeld(): boolean {
    return this.held;
  }

  /**
   * Takes or renews the lease; returns whether this process holds it now. A renewal that fails
   * returns false even if the lease is free to take again: it was lost (expired, taken over, or gone
   * with Redis's data), and the caller must see the next call take it as a new term.
   */
  async acquire(): Promise<boolean> {
    try {
      if (this.held) {
        this.held = (await this.redis.eval(RENEW, 1, this.key, this.token, this.ttlMs)) === 1;
      } else {
        this.held = (await this.redis.set(this.key, this.token, "PX", this.ttlMs, "NX")) === "OK";
      }
    } catch {
      this.held = false;
    }
    return this.held;
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    await this.redis.eval(RELEASE, 1, this.key, this.token).catch(() => undefined);
  }
}
