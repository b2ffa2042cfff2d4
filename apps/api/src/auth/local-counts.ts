import { LRUCache } from "lru-cache";

/**
 * Rate-limit counters of this process alone, for while Redis is unreachable: each API replica then
 * enforces the limits on its own share of the traffic (a client spread over N replicas gets up to N
 * times its budget), which beats refusing every request. Keys carry their window, so old windows
 * expire and a flood of distinct clients cannot grow the map past `maxKeys`.
 */
export class LocalCounts {
  private readonly counts: LRUCache<string, { n: number }>;

  constructor(maxKeys = 100_000) {
    this.counts = new LRUCache({ max: maxKeys });
  }

  /** Adds one to `key` (kept `ttlMs` from its first count) and returns its count. */
  increment(key: string, ttlMs: number): number {
    const entry = this.counts.get(key);
    if (entry) return ++entry.n;
    this.counts.set(key, { n: 1 }, { ttl: ttlMs });
    return 1;
  }
}
