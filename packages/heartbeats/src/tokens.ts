import type { Db } from "@upfleet/db";
import { Batcher } from "@upfleet/runtime";
import { LRUCache } from "lru-cache";

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

/** Wrapped: lru-cache keeps no null values, and an unknown token is worth remembering. */
interface Entry {
  target: PingTarget | null;
}

/**
 * Token → monitor, from memory. Staleness is harmless, so known tokens are kept a minute: tokens
 * never change and the recorder re-reads the monitor under its lock, so a monitor deleted a moment
 * ago is still refused. Unknown tokens are kept only briefly, so a new monitor's first ping is not
 * refused for long. Lookups of the same moment share one query.
 */
export class TokenDirectory {
  private readonly entries: LRUCache<string, Entry>;
  private readonly inFlight = new Map<string, Promise<PingTarget | null>>();
  /** Misses of the same moment (a cold cache under load) share one query; each moment its own. */
  private readonly lookups = new Batcher((tokens: string[]) => this.load(tokens), {
    maxBatch: 1000,
    maxInFlight: Number.POSITIVE_INFINITY,
  });
  private readonly ttlMs: number;
  private readonly missTtlMs: number;

  constructor(
    private readonly db: Db,
    options: TokenDirectoryOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.missTtlMs = options.missTtlMs ?? 2_000;
    this.entries = new LRUCache({
      max: options.maxEntries ?? 100_000,
      ttlResolution: 0,
      perf: { now: options.now ?? Date.now },
    });
  }

  /** The live heartbeat monitor holding `token`, or null. */
  resolve(token: string): Promise<PingTarget | null> {
    const cached = this.entries.get(token);
    if (cached) return Promise.resolve(cached.target);
    let pending = this.inFlight.get(token);
    if (!pending) {
      pending = this.lookups.add(token).finally(() => this.inFlight.delete(token));
      this.inFlight.set(token, pending);
    }
    return pending;
  }

  /** The tokens are distinct: a token already being looked up waits for that lookup. */
  private async load(tokens: string[]): Promise<(PingTarget | null)[]> {
    const rows = await this.db.$queryRaw<{ id: string; organization_id: string; heartbeat_token: string }[]>`
      SELECT id, organization_id, heartbeat_token FROM monitors
      WHERE heartbeat_token = ANY(${tokens}::text[]) AND type = 'heartbeat' AND deleted_at IS NULL`;
    const found = new Map(rows.map((r) => [r.heartbeat_token, { monitorId: r.id, organizationId: r.organization_id }]));
    return tokens.map((token) => {
      const target = found.get(token) ?? null;
      this.entries.set(token, { target }, { ttl: target ? this.ttlMs : this.missTtlMs });
      return target;
    });
  }
}
