import { waitFor } from "@upfleet/testing";
import { describe, expect } from "vitest";
import { addUser, createKey, PASSWORD, signupOwner, type TestUser } from "./support/accounts.ts";
import { apiTest } from "./support/fixtures.ts";
import { changesNothing, expectError, expectInvalid, tableCounts } from "./support/security.ts";
import type { TestApi, TestResponse } from "./support/test-api.ts";

let seq = 0;
const email = (label: string) => `${label}-${++seq}@example.com`;

/** The owner's `admin`; `create`, `remove` and `listIds` call the users routes as `by`. */
const it = apiTest({ OPEN_SIGNUP: "true", RATE_LIMIT_PER_MINUTE: "100000", RATE_LIMIT_PER_HOUR: "100000" }).extend<{
  admin: TestUser;
  create: (by: TestUser, body: unknown) => Promise<TestResponse>;
  remove: (by: TestUser, id: string) => Promise<TestResponse>;
  listIds: (by: TestUser) => Promise<string[]>;
  /** The above with the file's API and owner, for a test to take in one name. */
  u: { api: TestApi; owner: TestUser; admin: TestUser } & {
    create: (by: TestUser, body: unknown) => Promise<TestResponse>;
    remove: (by: TestUser, id: string) => Promise<TestResponse>;
    listIds: (by: TestUser) => Promise<string[]>;
  };
}>({
  admin: [async ({ api, owner }, use) => use(await addUser(api, owner, "admin")), { scope: "file" }],
  create: async ({ api }, use) => use((by, body) => api.request("POST", "/api/v1/users", { auth: by.token, body })),
  remove: async ({ api }, use) => use((by, id) => api.request("DELETE", `/api/v1/users/${id}`, { auth: by.token })),
  listIds: async ({ api }, use) =>
    use(async (by) =>
      (await api.request("GET", "/api/v1/users?limit=200", { auth: by.token })).body.data.map(
        (u: { id: string }) => u.id,
      ),
    ),
  u: async ({ api, owner, admin, create, remove, listIds }, use) => use({ api, owner, admin, create, remove, listIds }),
});
// Open sign-up for a second organization; generous limits, as one owner makes many requests here.
describe("POST /users", () => {
  it.for([
    ["owner", "admin"],
    ["owner", "member"],
    ["owner", "viewer"],
    ["admin", "admin"],
    ["admin", "member"],
    ["admin", "viewer"],
  ] as const)(
    "lets an %s create a %s who can then log in",
    async ([by, role], { api, owner, admin, create, listIds }) => {
      const address = email(role);
      const res = await create(by === "owner" ? owner : admin, { email: address, password: PASSWORD, role });
      expect(res.status, res.text).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^usr_[0-9a-z]{26}$/),
        email: address,
        role,
        created_at: expect.stringMatching(/Z$/),
      });
      expect(res.text).not.toMatch(/password|hash/i);
      const login = await api.request("POST", "/api/v1/auth/login", { body: { email: address, password: PASSWORD } });
      expect(login.status).toBe(200);
      expect(await listIds(owner)).toContain(res.body.id);
    },
  );

  it("lets a key with every scope create users", async ({ u }) => {
    const { api, owner } = u;
    const key = await createKey(api, owner);
    const res = await api.request("POST", "/api/v1/users", {
      headers: { "x-api-key": key.raw },
      body: { email: email("by-key"), password: PASSWORD, role: "member" },
    });
    expect(res.status, res.text).toBe(201);
  });

  it("is 400 for role owner (there is one owner), and creates nobody", async ({ u }) => {
    const { api, owner, create } = u;
    const body = { email: email("second-owner"), password: PASSWORD, role: "owner" };
    await changesNothing(api, async () => expectInvalid(await create(owner, body), ["role"]));
  });

  it("is 400 listing every problem of a bad body, and creates nobody", async ({ u }) => {
    const { api, owner, create } = u;
    await changesNothing(api, async () => {
      const body = { email: "nope", password: "short", role: "root", id: "usr_x" };
      expectInvalid(await create(owner, body), ["email", "id", "password", "role"]);
      expectError(await create(owner, {}), 400, "validation_error");
    });
  });

  it.for(["member", "viewer"] as const)("is 403 for a %s, and creates nobody", async (role, { api, owner, create }) => {
    const user = await addUser(api, owner, role);
    const before = await tableCounts(api);
    for (const target of ["viewer", "member", "admin"]) {
      expectError(await create(user, { email: email("x"), password: PASSWORD, role: target }), 403, "forbidden");
    }
    expect(await tableCounts(api)).toEqual(before);
  });

  it("is 409 for a taken email, whatever its case, even in another organization", async ({ u }) => {
    const { api, owner, admin, create } = u;
    const other = await signupOwner(api, "other");
    const before = await tableCounts(api);
    for (const taken of [admin.email.toUpperCase(), other.email]) {
      expectError(await create(owner, { email: taken, password: PASSWORD, role: "member" }), 409, "conflict");
    }
    expect(await tableCounts(api)).toEqual(before);
  });
});

describe("GET /users", () => {
  it("lists newest first in pages that follow next_cursor to the end", async ({ u }) => {
    const { api } = u;
    const boss = await signupOwner(api, "pager");
    const made: string[] = [];
    for (const role of ["member", "viewer", "admin"] as const) made.push((await addUser(api, boss, role)).id);
    const page = (query: string) => api.request("GET", `/api/v1/users?${query}`, { auth: boss.token });

    const first = await page("limit=2");
    expect(first.status).toBe(200);
    expect(Object.keys(first.body).sort()).toEqual(["data", "next_cursor"]);
    expect(first.body.data.map((u: { id: string }) => u.id)).toEqual([made[2], made[1]]);
    expect(first.body.next_cursor).toEqual(expect.any(String));

    const second = await page(`limit=2&cursor=${encodeURIComponent(first.body.next_cursor)}`);
    expect(second.body.data.map((u: { id: string }) => u.id)).toEqual([made[0], boss.id]);
    expect(second.body.next_cursor).toBeNull();

    const all = await page("");
    expect(all.body.data).toHaveLength(4);
    expect(all.body.data[3]).toEqual({ id: boss.id, email: boss.email, role: "owner", created_at: expect.any(String) });
    expect(all.body.next_cursor).toBeNull();
  });

  it("is 400 for a bad limit or a cursor it never issued", async ({ u }) => {
    const { api, owner } = u;
    for (const query of ["limit=0", "limit=201", "limit=ten", "cursor=bm9wZQ", "sort=email"]) {
      expectError(await api.request("GET", `/api/v1/users?${query}`, { auth: owner.token }), 400, "validation_error");
    }
  });
});

describe("DELETE /users/:id", () => {
  it("removes the user: 204, then their session and their key are refused within a second", async ({ u }) => {
    const { api, owner, remove, listIds } = u;
    const member = await addUser(api, owner, "member");
    const key = await createKey(api, member);
    const asMember = (auth: string) => api.request("GET", "/api/v1/account", { auth });
    expect((await asMember(member.token)).status).toBe(200);
    expect((await asMember(key.raw)).status).toBe(200); // the key is now in the cache

    const res = await remove(owner, member.id);
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expectError(await asMember(member.token), 401, "unauthorized");
    const refused = await waitFor(async () => ((await asMember(key.raw)).status === 401 ? asMember(key.raw) : null), {
      timeoutMs: 1_000,
      intervalMs: 20,
      what: "the removed user's key to be refused",
    });
    expectError(refused, 401, "unauthorized");
    expect(await listIds(owner)).not.toContain(member.id);
    expect(await api.deps.db.apiKey.count({ where: { userId: member.id } })).toBe(0);
    expectError(await remove(owner, member.id), 404, "not_found");
  });

  it("is 404 for another organization's user, who stays", async ({ u }) => {
    const { api, owner, remove } = u;
    const other = await signupOwner(api, "tenant");
    const theirs = await addUser(api, other, "member");
    const before = await tableCounts(api);
    expectError(await remove(owner, theirs.id), 404, "not_found");
    expectError(await remove(owner, other.id), 404, "not_found");
    expect(await tableCounts(api)).toEqual(before);
    expect((await api.request("GET", "/api/v1/account", { auth: theirs.token })).status).toBe(200);
  });

  it("is 409 for yourself", async ({ u }) => {
    const { api, owner, admin, remove } = u;
    const before = await tableCounts(api);
    expectError(await remove(owner, owner.id), 409, "conflict");
    expectError(await remove(admin, admin.id), 409, "conflict");
    expect(await tableCounts(api)).toEqual(before);
  });

  it("is 403 for a member or viewer, and for an admin removing the owner or another admin", async ({ u }) => {
    const { api, owner, admin, remove } = u;
    const [member, viewer, otherAdmin] = await Promise.all([
      addUser(api, owner, "member"),
      addUser(api, owner, "viewer"),
      addUser(api, owner, "admin"),
    ]);
    const target = await addUser(api, owner, "member");
    const before = await tableCounts(api);
    expectError(await remove(member, target.id), 403, "forbidden");
    expectError(await remove(viewer, target.id), 403, "forbidden");
    expectError(await remove(admin, owner.id), 403, "forbidden");
    expectError(await remove(admin, otherAdmin.id), 403, "forbidden");
    expect(await tableCounts(api)).toEqual(before);
    expect((await remove(admin, target.id)).status).toBe(204);
  });
});
