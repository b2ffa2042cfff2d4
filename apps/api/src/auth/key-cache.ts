import type { VerifiedKey } from "@upfleet/accounts";

interface Entry {
  key: VerifiedKey;
  storedAt: number;
}

/**
 * Verified API keys by SHA-256 fingerprint, so a hot key pays Argon2 once per TTL rather than once
 * per request. Bounded: the oldest entry goes when full (Map keeps insertion order).
 */
export class KeyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(fingerprint: string, now = Date.now()): VerifiedKey | undefined {
    const entry = this.entries.get(fingerprint);
    if (!entry) return undefined;
    if (now - entry.storedAt > this.ttlMs || entry.key.expiresAt.getTime() <= now) {
      this.entries.delete(fingerprint);
      return undefined;
    }
    return entry.key;
  }

  set(fingerprint: string, key: VerifiedKey, now = Date.now()): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(fingerprint, { key, storedAt: now });
  }

  /** Drops every entry matching a revoked key or a removed user. */
  evict(match: { keyId?: string; userId?: string }): void {
    for (const [fingerprint, { key }] of this.entries) {
      if (key.keyId === match.keyId || key.userId === match.userId) this.entries.delete(fingerprint);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
