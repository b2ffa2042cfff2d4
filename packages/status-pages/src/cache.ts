import { LRUCache } from "lru-cache";

/**
 * A small in-process cache of promises: callers that arrive while a value loads share the load, so
 * a traffic spike costs one build per key per TTL. Bounded, least recently used out first (random
 * Host headers or slugs cannot grow it without limit). A failed load is not kept.
 */
export class TtlCache<K extends {}, V> {
  private readonly entries: LRUCache<K, Promise<V>>;

  constructor(ttlMs: number, maxEntries: number, now: () => number = Date.now) {
    this.entries = new LRUCache({ max: maxEntries, ttl: ttlMs, ttlResolution: 0, perf: { now } });
  }

  get(key: K, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit) return hit;
    const value = load();
    this.entries.set(key, value);
    value.catch(() => {
      if (this.entries.peek(key) === value) this.entries.delete(key);
    });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
