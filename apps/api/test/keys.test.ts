import { SCOPES } from "@upfleet/accounts";
import { waitFor } from "@upfleet/testing";
import { afterEach, describe, expect } from "vitest";
import { addUser, createKey, type TestUser } from "./support/accounts.ts";
import { apiTest } from "./support/fixtures.ts";
import { changesNothing, expectError, expectInvalid, tableCounts } from "./support/security.ts";
import type { TestApi, TestResponse } from "./support/test-api.ts";

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `post`, `list` and `revoke` call the keys routes as `user`, `withKey` sends a request with a raw key,
 * `activeKeys` counts a user's unrevoked keys; `b` is the replica once both instances listen for revocations.
 */
const it = apiTest({ RATE_LIMIT_PER_MINUTE: "100000", RATE_LIMIT_PER_HOUR: "100000" }).extend<{
  post: (user: TestUser, body: unknown) => Promise<TestResponse>;
  list: (user: TestUser) => Promise<TestResponse>;
  revoke: (user: TestUser, id: string) => Promise<TestResponse>;
  withKey: (raw: string, method?: string, path?: string, body?: unknown) => Promise<TestResponse>;
  activeKeys: (userId: string) => Promise<number>;
  b: TestApi;
  /** The above but `b`, with the file's API and owner, for a test to take in one name. */
  k: { api: TestApi; owner: TestUser } & {
    post: (user: TestUser, body: unknown) => Promise<TestResponse>;
    list: (user: TestUser) => Promise<TestResponse>;
    revoke: (user: TestUser, id: string) => Promise<TestResponse>;
    withKey: (raw: string, method?: string, path?: string, body?: unknown) => Promise<TestResponse>;
    activeKeys: (userId: string) => Promise<number>;
  };
}>({
  post: async ({ api }, use) => use((user, body) => api.request("POST", "/api/v1/keys", { auth: user.token, body })),
  list: async ({ api }, use) => use((user) => api.request("GET", "/api/v1/keys?limit=200", { auth: user.token })),
  revoke: async ({ api }, use) => use((user, id) => api.request("DELETE", `/api/v1/keys/${id}`, { auth: user.token })),
  withKey: async ({ api }, use) =>
    use((raw, method = "GET", path = "/api/v1/account", body) =>
      api.request(method, path, { headers: { "x-api-key": raw }, ...(body === undefined ? {} : { body }) }),
    ),
  activeKeys: async ({ api }, use) => use((userId) => api.deps.db.apiKey.count({ where: { userId, revokedAt: null } })),
  b: [
    async ({ api, replica }, use) => {
      const channel = `${api.redis.prefix}:auth:invalidate`;
      await waitFor(async () => ((await api.deps.redis.pubsub("NUMSUB", channel)) as [string, number])[1] === 2, {
        what: "both instances to listen for revocations",
      });
      await use(replica);
    },
    { scope: "file" },
  ],
  k: async ({ api, owner, post, list, revoke, withKey, activeKeys }, use) =>
    use({ api, owner, post, list, revoke, withKey, activeKeys }),
});
// Each test starts with the owner below the 10-key limit (its keys are never used again).
afterEach<{ api: TestApi; owner: TestUser }>(({ api, owner }) =>
  api.deps.db.apiKey.updateMany({ where: { userId: owner.id }, data: { revokedAt: new Date() } }),
);

describe("POST /keys", () => {
  it("shows the raw key once and stores only its Argon2id hash", async ({ k }) => {
    const { api, owner, post, list } = k;
    const res = await post(owner, { name: "deploy" });
    expect(res.status, res.text).toBe(201);
    const { key, raw_key: raw } = res.body;
    expect(raw).toMatch(/^upf_[0-9A-Za-z]{32,}$/);
    expect(key).toEqual({
      id: expect.stringMatching(/^key_[0-9a-z]{26}$/),
      name: "deploy",
      prefix: raw.slice(0, 12),
      scopes: [...SCOPES],
      created_at: expect.any(String),
      expires_at: expect.any(String),
      last_used_at: null,
    });
    expect(Math.abs(Date.parse(key.expires_at) - (Date.now() + YEAR_MS))).toBeLessThan(DAY_MS + 60_000);

    const row = await api.deps.db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.hash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(row)).not.toContain(raw.slice(4));
    expect(row.prefix).toBe(raw.slice(0, 12));

    const listed = await list(owner);
    expect(listed.body.data).toContainEqual(key);
    expect(listed.text).not.toContain(raw.slice(12));
    expect(listed.text).not.toMatch(/raw_key|hash|argon/);
  });

  it("expands omitted or empty scopes to all 15, and stores given ones without repeats", async ({ k }) => {
    const { api, owner, post } = k;
    for (const body of [{ name: "all" }, { name: "empty", scopes: [] }]) {
      const res = await post(owner, body);
      expect(res.body.key.scopes).toEqual([...SCOPES]);
      const row = await api.deps.db.apiKey.findUniqueOrThrow({ where: { id: res.body.key.id } });
      expect(row.scopes).toHaveLength(15);
    }
    const narrow = await post(owner, { name: "narrow", scopes: ["monitors:read", "monitors:read", "keys:read"] });
    expect(narrow.body.key.scopes).toEqual(["monitors:read", "keys:read"]);
  });

  it("accepts an expiry within the year", async ({ k }) => {
    const { owner, post } = k;
    const expiresAt = new Date(Date.now() + 30 * DAY_MS).toISOString();
    const res = await post(owner, { name: "month", expires_at: expiresAt });
    expect(res.status).toBe(201);
    expect(res.body.key.expires_at).toBe(expiresAt);
  });

  it.for<[string, () => Record<string, unknown>]>([
    [
      "more than a year ahead",
      () => ({ name: "k", expires_at: new Date(Date.now() + YEAR_MS + 2 * DAY_MS).toISOString() }),
    ],
    ["in the past", () => ({ name: "k", expires_at: new Date(Date.now() - 60_000).toISOString() })],
    ["not a timestamp", () => ({ name: "k", expires_at: "next tuesday" })],
  ])("is 400 naming expires_at when it is %s, and creates nothing", async ([, body], { api, owner, post }) => {
    await changesNothing(api, async () => expectInvalid(await post(owner, body()), ["expires_at"]));
  });

  it("is 400 listing every problem of a bad body", async ({ k }) => {
    const { api, owner, post } = k;
    await changesNothing(api, async () => {
      const body = { name: "n".repeat(100_000), scopes: ["root", "monitors:read"], raw_key: "upf_x" };
      expectInvalid(await post(owner, body), ["name", "raw_key", "scopes.0"]);
      expectError(await post(owner, { scopes: "monitors:read" }), 400, "validation_error");
    });
  });

  it("is 409 for the 11th active key and creates no 11th; revoking one makes room", async ({ k }) => {
    const { api, owner, post, revoke, activeKeys } = k;
    const member = await addUser(api, owner, "member");
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await createKey(api, member, { name: `k${i}` })).id);
    const refused = await post(member, { name: "eleventh" });
    expectError(refused, 409, "conflict");
    expect(await activeKeys(member.id)).toBe(10);
    expect(await api.deps.db.apiKey.count({ where: { userId: member.id, name: "eleventh" } })).toBe(0);
    expect((await revoke(member, ids[0]!)).status).toBe(204);
    expect((await post(member, { name: "replacement" })).status).toBe(201);
    expect(await activeKeys(member.id)).toBe(10);
  });

  it("never lets concurrent creations exceed 10 active keys", async ({ k }) => {
    const { api, owner, post, activeKeys } = k;
    const member = await addUser(api, owner, "member");
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => post(member, { name: `race ${i}` })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(10).fill(201), 409, 409]);
    for (const res of results.filter((r) => r.status === 409)) expectError(res, 409, "conflict");
    expect(await activeKeys(member.id)).toBe(10);
  });

  it("never lets a key mint a key, or a user, with more power than itself", async ({ k }) => {
    const { api, owner } = k;
    const scoped = await createKey(api, owner, { scopes: ["keys:read", "keys:write", "account:read"] });
    const before = await tableCounts(api);
    const headers = { "x-api-key": scoped.raw };
    for (const body of [{ name: "wider" }, { name: "wider", scopes: ["monitors:write"] }]) {
      expectError(await api.request("POST", "/api/v1/keys", { headers, body }), 403, "forbidden");
    }
    const user = { email: "escalate@example.com", password: "correct horse battery", role: "admin" };
    expectError(await api.request("POST", "/api/v1/users", { headers, body: user }), 403, "forbidden");
    expect(await tableCounts(api)).toEqual(before);
    const narrower = await api.request("POST", "/api/v1/keys", { headers, body: { name: "n", scopes: ["keys:read"] } });
    expect(narrower.status, narrower.text).toBe(201);
  });
});

describe("GET and DELETE /keys", () => {
  it("shows members their own keys and owners everyone's; a member cannot revoke the owner's", async ({ k }) => {
    const { api, owner, list, revoke, withKey } = k;
    const member = await addUser(api, owner, "member");
    const mine = await createKey(api, member);
    const owners = await createKey(api, owner);
    const ids = (res: { body: { data: { id: string }[] } }) => res.body.data.map((k) => k.id);
    expect(ids(await list(member))).toEqual([mine.id]);
    expect(ids(await list(owner))).toEqual(expect.arrayContaining([mine.id, owners.id]));
    expectError(await revoke(member, owners.id), 404, "not_found");
    expect((await withKey(owners.raw)).status).toBe(200);
  });

  it("revokes at once: 204, then 401, gone from the list, and a second DELETE is 404", async ({ k }) => {
    const { api, owner, list, revoke, withKey } = k;
    const key = await createKey(api, owner);
    expect((await withKey(key.raw)).status).toBe(200);
    const res = await revoke(owner, key.id);
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expectError(await withKey(key.raw), 401, "unauthorized");
    expect((await list(owner)).body.data.map((k: { id: string }) => k.id)).not.toContain(key.id);
    expectError(await revoke(owner, key.id), 404, "not_found");
  });
});

describe("authenticating with a key", () => {
  it("works as X-API-Key and as Authorization: Bearer", async ({ k }) => {
    const { api, owner, withKey } = k;
    const key = await createKey(api, owner);
    expect((await withKey(key.raw)).body.api_key.id).toBe(key.id);
    expect((await api.request("GET", "/api/v1/account", { auth: key.raw })).body.api_key.id).toBe(key.id);
  });

  it("is 401 for an unknown, malformed, revoked or expired key", async ({ k }) => {
    const { api, owner, revoke, withKey } = k;
    const real = await createKey(api, owner);
    const revoked = await createKey(api, owner);
    await revoke(owner, revoked.id);
    const expired = await createKey(api, owner);
    await api.deps.db.apiKey.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const unknown = `${real.raw.slice(0, 12)}${"x".repeat(real.raw.length - 12)}`; // a real prefix, a wrong rest
    for (const raw of [unknown, "upf_", `upf_${"!".repeat(40)}`, `${real.raw}x`, revoked.raw, expired.raw]) {
      expectError(await withKey(raw), 401, "unauthorized");
    }
    expect((await withKey(real.raw)).status).toBe(200);
  });

  it("stops working when it expires, even while cached", async ({ k }) => {
    const { owner, post, withKey } = k;
    const res = await post(owner, { name: "short", expires_at: new Date(Date.now() + 2_000).toISOString() });
    expect((await withKey(res.body.raw_key)).status).toBe(200);
    await waitFor(async () => (await withKey(res.body.raw_key)).status === 401, { timeoutMs: 5_000, what: "expiry" });
  });

  it("is 403 outside its scopes", async ({ k }) => {
    const { api, owner, withKey } = k;
    const key = await createKey(api, owner, { scopes: ["account:read"] });
    expect((await withKey(key.raw)).status).toBe(200);
    expectError(await withKey(key.raw, "GET", "/api/v1/keys"), 403, "forbidden");
    expectError(await withKey(key.raw, "POST", "/api/v1/keys", { name: "k" }), 403, "forbidden");
  });

  it("never lets a viewer write: their session is read-only and their key's write scopes are void", async ({ k }) => {
    const { api, owner, post, withKey } = k;
    const viewer = await addUser(api, owner, "viewer");
    for (const path of ["/api/v1/account", "/api/v1/keys", "/api/v1/users"]) {
      expect((await api.request("GET", path, { auth: viewer.token })).status).toBe(200);
    }
    const before = await tableCounts(api);
    expectError(await post(viewer, { name: "k" }), 403, "forbidden");
    expect(await tableCounts(api)).toEqual(before);

    // A member's key with write scopes, whose owner is then made a viewer: the role caps the key.
    const demoted = await addUser(api, owner, "member");
    const key = await createKey(api, demoted, {
      scopes: ["account:read", "keys:read", "keys:write", "monitors:write"],
    });
    await api.deps.db.user.update({ where: { id: demoted.id }, data: { role: "viewer" } });
    expectError(await withKey(key.raw, "POST", "/api/v1/keys", { name: "k" }), 403, "forbidden");
    expect((await withKey(key.raw, "GET", "/api/v1/keys")).status).toBe(200);
    expect((await withKey(key.raw)).body.user.role).toBe("viewer");
  });

  it("records last_used_at within seconds, in batches rather than a write per request", async ({ k }) => {
    const { api, owner, list, withKey } = k;
    const db = api.deps.db;
    await db.$executeRawUnsafe("CREATE SCHEMA IF NOT EXISTS probe");
    await db.$executeRawUnsafe("CREATE TABLE probe.usage_writes (key_id text)");
    await db.$executeRawUnsafe(`CREATE FUNCTION probe.count_usage() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO probe.usage_writes VALUES (NEW.id); RETURN NULL; END $$`);
    await db.$executeRawUnsafe(`CREATE TRIGGER count_usage AFTER UPDATE OF last_used_at ON api_keys
      FOR EACH ROW EXECUTE FUNCTION probe.count_usage()`);
    const key = await createKey(api, owner);
    for (let i = 0; i < 20; i++) expect((await withKey(key.raw)).status).toBe(200);
    const used = await waitFor(async () => (await db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt, {
      timeoutMs: 6_500,
      what: "last_used_at",
    });
    expect(Date.now() - used.getTime()).toBeLessThan(10_000);
    const listed = (await list(owner)).body.data.find((k: { id: string }) => k.id === key.id);
    expect(listed.last_used_at).toBe(used.toISOString());
    const writes = await db.$queryRawUnsafe<{ n: bigint }[]>(
      "SELECT count(*) AS n FROM probe.usage_writes WHERE key_id = $1",
      key.id,
    );
    expect(Number(writes[0]!.n)).toBeLessThanOrEqual(2);
  });
});

describe("revocation on two API instances", () => {
  const onB = (b: TestApi, raw: string) => b.request("GET", "/api/v1/account", { headers: { "x-api-key": raw } });
  const refusedOnB = async (b: TestApi, raw: string) => {
    const refused = await waitFor(async () => ((await onB(b, raw)).status === 401 ? onB(b, raw) : undefined), {
      timeoutMs: 1_000,
      intervalMs: 20,
      what: "revocation on instance B",
    });
    expectError(refused, 401, "unauthorized");
  };

  it("reaches the other instance within a second", async ({ b, k }) => {
    const { api, owner, revoke, withKey } = k;
    const key = await createKey(api, owner);
    expect((await withKey(key.raw)).status).toBe(200);
    expect((await onB(b, key.raw)).status).toBe(200); // both instances now hold it in their caches
    expect((await revoke(owner, key.id)).status).toBe(204);
    await refusedOnB(b, key.raw);
  });

  it("holds when it races the key's first verification there", async ({ b, k }) => {
    const { api, owner, revoke } = k;
    for (const delayMs of [0, 5, 10, 15, 0, 5, 10, 15]) {
      const key = await createKey(api, owner);
      const revoking = new Promise((resolve) => setTimeout(resolve, delayMs)).then(() => revoke(owner, key.id));
      await Promise.all([onB(b, key.raw), revoking]);
      await refusedOnB(b, key.raw);
    }
  });
});
