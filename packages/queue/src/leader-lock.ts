import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { duplicateRedis, type RedisConnection } from "./redis-connection.ts";

/**
 * Renews the lease if it carries our token, takes it if it is free: 1 renewed, 2 taken; held by
 * another, -1 - the ms it has left (so a standby can try again the moment it expires). Recognising
 * our own token is what makes a late or repeated call harmless: a plain SET NX replayed after an
 * outage failed against our own token and locked us out until the lease expired.
 */
const HOLD = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if not holder then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 2 end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then left = 0 end
return -1 - left
`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** What a call to `hold` found: a new term (taken, or taken back after a gap), the same term still ours, or no lease. */
export type LeaseOutcome = "taken" | "held" | "lost";

/**
 * Leadership for periodic work that must run in one process only (dispatching, reconciling).
 * A holder renews its lease; if it dies, the lease expires and another instance takes over.
 *
 * The lease has a connection of its own without an offline queue or resends: a command is sent only
 * while Redis answers, or fails at once, so nothing queued during an outage is replayed after it.
 * Calls are serialised (overlapping calls share one round trip).
 */
export class LeaderLock {
  private readonly token = randomUUID();
  private readonly connection: RedisConnection;
  /** Until when the lease is ours for sure: the send time of the last successful call plus the TTL. */
  private heldUntil = 0;
  /** When another holder's lease runs out, as its last answer said (0: unknown). */
  private freeAt = 0;
  private inFlight: Promise<LeaseOutcome> | undefined;

  constructor(
    redis: RedisConnection,
    private readonly key: string,
    private readonly ttlMs = 10_000,
  ) {
    this.connection = duplicateRedis(redis, {
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      commandTimeout: Math.max(100, Math.floor(ttlMs / 4)),
    });
    // Failures surface as a lost lease; the process's main connection already logs outages.
    this.connection.on("error", () => undefined);
  }

  /** Whether the lease is ours now: a renewal that could not be made keeps it only until it would have expired. */
  get isHeld(): boolean {
    return Date.now() < this.heldUntil;
  }

  /**
   * How long to wait before the next `hold`: `everyMs` to renew or to look again, but no later than
   * just after another holder's lease runs out, so a standby takes over within the lease time.
   */
  nextAttemptIn(everyMs: number): number {
    if (this.isHeld || this.freeAt === 0) return everyMs;
    return Math.max(0, Math.min(everyMs, this.freeAt + 5 - Date.now()));
  }

  /** Takes or renews the lease. A "taken" term may follow a gap in which another process led: rebuild what it may have changed. */
  hold(): Promise<LeaseOutcome> {
    this.inFlight ??= this.attempt().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  async release(): Promise<void> {
    await this.inFlight;
    const held = this.isHeld;
    this.heldUntil = 0;
    if (held && this.connection.status === "ready") {
      await this.connection.eval(RELEASE, 1, this.key, this.token).catch(() => undefined);
    }
    if (this.connection.status === "ready") await this.connection.quit().catch(() => undefined);
    else this.connection.disconnect();
  }

  private async attempt(): Promise<LeaseOutcome> {
    const wasHeld = this.isHeld;
    if (!(await this.connected())) return this.isHeld ? "held" : "lost";
    const sentAt = Date.now();
    try {
      const answer = Number(await this.connection.eval(HOLD, 1, this.key, this.token, this.ttlMs));
      if (answer < 0) {
        this.heldUntil = 0;
        // From the answer, not the request: the remaining time was read somewhere in between, and a
        // busy machine's delay counted from the request would send the next attempt before the expiry.
        this.freeAt = Date.now() + (-answer - 1);
        return "lost";
      }
      this.heldUntil = sentAt + this.ttlMs;
      return wasHeld && answer === 1 ? "held" : "taken";
    } catch {
      // Unanswered: the lease may still be ours, but only as long as it would last unrenewed.
      return this.isHeld ? "held" : "lost";
    }
  }

  /** Waits briefly for a connection that is still being made (at start, after a reconnect), never queueing. */
  private async connected(): Promise<boolean> {
    if (this.connection.status !== "ready") {
      const signal = AbortSignal.timeout(Math.min(1_000, this.ttlMs / 4));
      await once(this.connection, "ready", { signal }).catch(() => undefined);
    }
    return this.connection.status === "ready";
  }
}
