import type { VerifiedKey } from "@upfleet/accounts";
import { LRUCache } from "lru-cache";

/**
 * Verified API keys by SHA-256 fingerprint, so a hot key pays Argon2 once per TTL rather than once
 * per request. Bounded (least recently used out first) and never serving a key past its expiry.
 */
export class KeyCache {
  private readonly entries: LRUCache<string, VerifiedKey>;

  constructor(
    private readonly ttlMs: number,
    maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {
    this.entries = new LRUCache({ max: maxEntries, ttl: ttlMs, ttlResolution: 0, perf: { now } });
  }

  get(fingerprint: string): VerifiedKey | undefined {
    return this.entries.get(fingerprint);
  }

  set(fingerprint: string, key: VerifiedKey): void {
    // An entry is served while its age is at most its TTL, and a key is dead from its expiresAt on.
    const ttl = Math.min(this.ttlMs, key.expiresAt.getTime() - this.now() - 1);
    if (ttl > 0) this.entries.set(fingerprint, key, { ttl });
  }

  /** Drops every entry matching a revoked key or a removed user. */
  evict(match: { keyId?: string; userId?: string }): void {
    const matching = [...this.entries.entries()].filter(
      ([, key]) => key.keyId === match.keyId || key.userId === match.userId,
    );
    for (const [fingerprint] of matching) this.entries.delete(fingerprint);
  }

  clear(): void {
    this.entries.clear();
  }
}
