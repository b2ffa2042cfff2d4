import type { Db } from "@upfleet/db";

export interface PingTarget {
  monitorId: string;
  organizationId: string;
}

export interface TokenDirectoryOptions {
  /** How long a known token is trusted without asking the database (default a minute). */
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
 * Token → monitor, from memory. Staleness is harmless, so known tokens are kept a minute: tokens
 * never change and the recorder re-reads the monitor under its lock, so a monitor deleted a moment
 * ago is still refused. Unknown tokens are kept only briefly, so a new monitor's first ping is not
 * refused for long. Lookups of the same moment share one query.
 */
export class TokenDirectory {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<PingTarget | null>>();
  private waiting: { token: string; resolve(target: PingTarget | null): void; reject(error: unknown): void }[] = [];
  private readonly ttlMs: number;
  private readonly missTtlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Db,
    options: TokenDirectoryOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 60_000;
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
      pending = this.lookup(token);
      this.inFlight.set(token, pending);
    }
    return pending;
  }

  /** Misses of the same moment (a cold cache under load) share one query. */
  private lookup(token: string): Promise<PingTarget | null> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ token, resolve, reject });
      if (this.waiting.length === 1) setImmediate(() => void this.loadWaiting());
    });
  }

  private async loadWaiting(): Promise<void> {
    const batch = this.waiting.splice(0);
    const tokens = [...new Set(batch.map((w) => w.token))];
    try {
      const rows = await this.db.$queryRaw<{ id: string; organization_id: string; heartbeat_token: string }[]>`
        SELECT id, organization_id, heartbeat_token FROM monitors
        WHERE heartbeat_token = ANY(${tokens}::text[]) AND type = 'heartbeat' AND deleted_at IS NULL`;
      const found = new Map(
        rows.map((r) => [r.heartbeat_token, { monitorId: r.id, organizationId: r.organization_id }]),
      );
      for (const token of tokens) this.remember(token, found.get(token) ?? null);
      for (const w of batch) w.resolve(found.get(w.token) ?? null);
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      for (const token of tokens) this.inFlight.delete(token);
    }
  }

  private remember(token: string, target: PingTarget | null): void {
    if (this.entries.size >= this.maxEntries) this.evictExpired();
    // Still full of live entries: drop the oldest (Map keeps insertion order).
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.delete(token);
    this.entries.set(token, { target, expiresAt: this.now() + (target ? this.ttlMs : this.missTtlMs) });
  }

  private evictExpired(): void {
    const now = this.now();
    for (const [token, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(token);
  }
}
