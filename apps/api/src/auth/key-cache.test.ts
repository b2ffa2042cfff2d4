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

describe("KeyCache", () => {
  it("serves an entry until its TTL passes", () => {
    const cache = new KeyCache(1000);
    cache.set("a", key("key_a"), 0);
    expect(cache.get("a", 999)?.keyId).toBe("key_a");
    expect(cache.get("a", 1001)).toBeUndefined();
  });

  it("never serves a key past its expiry", () => {
    const cache = new KeyCache(60_000_000);
    cache.set("a", key("key_a"), 0);
    expect(cache.get("a", 10_000_000)).toBeUndefined();
  });

  it("evicts by key and by user", () => {
    const cache = new KeyCache(1000);
    cache.set("a", key("key_a", "usr_1"), 0);
    cache.set("b", key("key_b", "usr_2"), 0);
    cache.set("c", key("key_c", "usr_2"), 0);
    cache.evict({ keyId: "key_a" });
    expect(cache.get("a", 1)).toBeUndefined();
    cache.evict({ userId: "usr_2" });
    expect(cache.get("b", 1)).toBeUndefined();
    expect(cache.get("c", 1)).toBeUndefined();
  });

  it("stays within its bound", () => {
    const cache = new KeyCache(1000, 2);
    cache.set("a", key("key_a"), 0);
    cache.set("b", key("key_b"), 0);
    cache.set("c", key("key_c"), 0);
    expect(cache.get("a", 1)).toBeUndefined();
    expect(cache.get("c", 1)?.keyId).toBe("key_c");
  });
});
