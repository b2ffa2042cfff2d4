import type { Db } from "@upfleet/db";

export interface PingTarget {
  monitorId: string;
  organizationId: string;
}

export interface TokenDirectoryOptions {
  /** How long a known token is trusted without asking the database. */
  ttlMs?: number;
  /** How long an unknown token stays unknown (a token nobody has is never asked for twice in a burst). */
  missTtlMs?: number;
  /** Entries kept at most; guessed tokens must not grow the cache without bound. */
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  target: PingTarget | null;
  expiresAt: number;
}

/**
 * Token → monitor, from memory for a few seconds. Staleness is harmless: tokens never change, and
 * the recorder re-reads the monitor under its lock, so a monitor deleted a moment ago is still
 * refused. Concurrent lookups of one token share one query.
 */
export class TokenDirectory {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<PingTarget | null>>();
  private readonly ttlMs: number;
  private readonly missTtlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Db,
    options: TokenDirectoryOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 10_000;
    this.missTtlMs = options.missTtlMs ?? 2_000;
    this.maxEntries = options.maxEntries ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  /** The live heartbeat monitor holding `token`, or null. */
  resolve(token: string): Promise<PingTarget | null> {
    const cached = this.entries.get(token);
    if (cached && cached.expiresAt > this.now()) return Promise.resolve(cached.target);
    let pending = this.inFlight.get(token);
    if (!pending) {
      pending = this.load(token).finally(() => this.inFlight.delete(token));
      this.inFlight.set(token, pending);
    }
    return pending;
  }

  private async load(token: string): Promise<PingTarget | null> {
    const monitor = await this.db.monitor.findUnique({
      where: { heartbeatToken: token },
      select: { id: true, organizationId: true, type: true, deletedAt: true },
    });
    const target =
      monitor && monitor.type === "heartbeat" && monitor.deletedAt === null
        ? { monitorId: monitor.id, organizationId: monitor.organizationId }
        : null;
    if (this.entries.size >= this.maxEntries) this.evictExpired();
    // Still full of live entries: drop the oldest (Map keeps insertion order).
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.delete(token);
    this.entries.set(token, { target, expiresAt: this.now() + (target ? this.ttlMs : this.missTtlMs) });
    return target;
  }

  private evictExpired(): void {
    const now = this.now();
    for (const [token, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(token);
  }
}
