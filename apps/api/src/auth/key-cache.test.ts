import type { VerifiedKey } from "@upfleet/accounts";
import { describe, expect, it } from "vitest";
import { KeyCache } from "./key-cache.ts";

const key = (keyId: string, userId = "usr_1"): VerifiedKey => ({
  keyId,
  userId,
  name: "k",
  keyScopes: [],
  expiresAt: new Date(10_000_000),
  organizationId: "org_1",
  role: "owner",
  plan: "free",
  email: "owner@example.com",
  organizationName: "Acme",
});

/** A cache on a clock the test moves (from 1: lru-cache treats an entry stored at time 0 as ageless). */
function cacheAt(ttlMs: number, maxEntries?: number) {
  const clock = { now: 1 };
  return { clock, cache: new KeyCache(ttlMs, maxEntries, () => clock.now) };
}

describe("KeyCache", () => {
  it("serves an entry until its TTL passes, and never a key past its expiry", () => {
    // [TTL, last instant served, first instant refused]: the key expires at 10,000,000.
    for (const [ttlMs, served, refused] of [
      [1000, 1000, 1002],
      [60_000_000, 9_999_999, 10_000_000],
    ] as const) {
      const { clock, cache } = cacheAt(ttlMs);
      cache.set("a", key("key_a"));
      clock.now = served;
      expect(cache.get("a")?.keyId).toBe("key_a");
      clock.now = refused;
      expect(cache.get("a")).toBeUndefined();
    }
  });

  it("evicts by key and by user", () => {
    const { cache } = cacheAt(1000);
    cache.set("a", key("key_a", "usr_1"));
    cache.set("b", key("key_b", "usr_2"));
    cache.set("c", key("key_c", "usr_2"));
    cache.evict({ keyId: "key_a" });
    expect(cache.get("a")).toBeUndefined();
    expect(cache.get("b")?.keyId).toBe("key_b");
    cache.evict({ userId: "usr_2" });
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("c")).toBeUndefined();
  });

  it("stays within its bound", () => {
    const { cache } = cacheAt(1000, 2);
    cache.set("a", key("key_a"));
    cache.set("b", key("key_b"));
    cache.set("c", key("key_c"));
    expect(cache.get("a")).toBeUndefined();
    expect(cache.get("c")?.keyId).toBe("key_c");
  });
});
