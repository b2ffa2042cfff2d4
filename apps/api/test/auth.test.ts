import { createHmac } from "node:crypto";
import { createSessionTokens } from "@upfleet/accounts";
import { closedAfterFile } from "@upfleet/testing/fixtures";
import { describe, expect } from "vitest";
import { addUser, PASSWORD, signupOwner, type TestUser } from "./support/accounts.ts";
import { test } from "./support/fixtures.ts";
import { detailPaths, expectError, tableCounts } from "./support/security.ts";
import { startTestApi, type TestApi, type TestResponse } from "./support/test-api.ts";
import { expectSameTiming } from "./support/timing.ts";

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;
const TWELVE_HOURS = 12 * 60 * 60 * 1000;

const signup = (target: TestApi, body: unknown) => target.request("POST", "/api/v1/auth/signup", { body });
const NAMES = ["Acme", "Beta", "Gamma"];

/**
 * `api` has sign-up closed, as deployed by default; `open` is a second API with OPEN_SIGNUP=true on a
 * database of its own. `race` is three sign-ups racing for `api`'s first organization, and `first` the
 * owner it made; `login` and `account` call `api`.
 */
const it = test.extend<{
  open: TestApi;
  race: TestResponse[];
  first: TestUser;
  login: (body: unknown) => Promise<TestResponse>;
  account: (token: string) => Promise<TestResponse>;
}>({
  open: closedAfterFile(() => startTestApi({ OPEN_SIGNUP: "true" })),
  race: [
    async ({ api }, use) =>
      use(
        await Promise.all(
          NAMES.map((name) =>
            signup(api, { email: `${name}@Example.com`, password: PASSWORD, organization_name: name }),
          ),
        ),
      ),
    { scope: "file" },
  ],
  first: [
    async ({ race }, use) => {
      const winner = race.find((r) => r.status === 201)!;
      const { user, organization, token } = winner.body;
      await use({ id: user.id, organizationId: organization.id, email: user.email, role: "owner", token });
    },
    { scope: "file" },
  ],
  login: async ({ api }, use) => use((body) => api.request("POST", "/api/v1/auth/login", { body })),
  account: async ({ api }, use) => use((token) => api.request("GET", "/api/v1/account", { auth: token })),
});

describe("POST /auth/signup", () => {
  it("creates the first organization and its owner exactly once, even when sign-ups race", async ({
    race: results,
    api,
    account,
  }) => {
    expect(results.map((r) => r.status).sort()).toEqual([201, 403, 403]);
    for (const refused of results.filter((r) => r.status === 403)) expectError(refused, 403, "forbidden");
    expect(await tableCounts(api)).toMatchObject({ organizations: 1, users: 1, api_keys: 0 });

    const winner = results.findIndex((r) => r.status === 201);
    const res = results[winner]!;
    const email = `${NAMES[winner]!.toLowerCase()}@example.com`;
    expect(res.body).toEqual({
      user: { id: expect.stringMatching(/^usr_/), email, role: "owner", created_at: expect.stringMatching(ISO) },
      organization: {
        id: expect.stringMatching(/^org_/),
        name: NAMES[winner],
        plan: "free",
        created_at: expect.stringMatching(ISO),
      },
      token: expect.stringMatching(JWT),
      expires_at: expect.stringMatching(ISO),
    });
    expect(Math.abs(Date.parse(res.body.expires_at) - (Date.now() + TWELVE_HOURS))).toBeLessThan(10_000);
    const me = await account(res.body.token);
    expect(me.status).toBe(200);
    expect(me.body.user).toEqual({ id: res.body.user.id, email, role: "owner" });
  });

  // After the race: the first organization exists.
  it("is 403 for anyone else while OPEN_SIGNUP is false, and creates nothing", async ({ api, race: _ }) => {
    const before = await tableCounts(api);
    const res = await signup(api, { email: "second@example.com", password: PASSWORD, organization_name: "Other" });
    expectError(res, 403, "forbidden");
    expect(await tableCounts(api)).toEqual(before);
  });

  it("with OPEN_SIGNUP=true, gives each sign-up an organization of its own", async ({ open }) => {
    const a = await signup(open, { email: "a@example.com", password: PASSWORD, organization_name: "A" });
    const b = await signup(open, { email: "b@example.com", password: PASSWORD, organization_name: "B" });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.organization.id).not.toBe(b.body.organization.id);
    expect(b.body.user.role).toBe("owner");
  });

  it("is 409 for a taken email, whatever its case, and creates nothing", async ({ open }) => {
    const taken = await signupOwner(open, "taken");
    const before = await tableCounts(open);
    const res = await signup(open, { email: taken.email.toUpperCase(), password: PASSWORD, organization_name: "Dup" });
    expectError(res, 409, "conflict");
    expect(await tableCounts(open)).toEqual(before);
  });

  it.for([
    ["an empty body", {}, ["email", "organization_name", "password"]],
    ["no body at all", undefined, ["email", "organization_name", "password"]],
    [
      "a short password, a bad email, an empty name and an unknown field",
      { email: "not-an-email", password: "123456789", organization_name: " ", role: "admin" },
      ["email", "organization_name", "password", "role"],
    ],
    [
      "wrong types",
      { email: 42, password: ["x".repeat(12)], organization_name: { name: "x" } },
      ["email", "organization_name", "password"],
    ],
    [
      "huge strings",
      {
        email: `${"a".repeat(300)}@example.com`,
        password: "p".repeat(100_000),
        organization_name: "n".repeat(100_000),
      },
      ["email", "organization_name", "password"],
    ],
    [
      "read-only fields",
      { email: "ro@example.com", password: PASSWORD, organization_name: "RO", id: "usr_x", plan: "team" },
      ["id", "plan"],
    ],
    ["an array", [], ["(root)"]],
  ] as const)("is 400 listing every problem for %s, and creates nothing", async ([, body, paths], { open }) => {
    const before = await tableCounts(open);
    const res = await open.request("POST", "/api/v1/auth/signup", body === undefined ? {} : { body });
    expectError(res, 400, "validation_error");
    expect(detailPaths(res)).toEqual(paths);
    expect(res.text.length).toBeLessThan(5_000); // problems are named, never echoed back
    expect(await tableCounts(open)).toEqual(before);
  });
});

describe("POST /auth/login", () => {
  it("returns a 12-hour JWT that works on /account", async ({ first, login, account }) => {
    const res = await login({ email: first.email.toUpperCase(), password: PASSWORD });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ token: expect.stringMatching(JWT), expires_at: expect.stringMatching(ISO) });
    expect(Math.abs(Date.parse(res.body.expires_at) - (Date.now() + TWELVE_HOURS))).toBeLessThan(10_000);
    const me = await account(res.body.token);
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(first.id);
    expect(me.body.api_key).toBeNull();
  });

  it("answers a wrong password and an unknown email alike: 401, same body", async ({ first, login }) => {
    const wrong = await login({ email: first.email, password: `${PASSWORD}!` });
    const unknown = await login({ email: "nobody@example.com", password: PASSWORD });
    expectError(wrong, 401, "unauthorized");
    expectError(unknown, 401, "unauthorized");
    const { request_id: _a, ...wrongBody } = wrong.body;
    const { request_id: _b, ...unknownBody } = unknown.body;
    expect(unknownBody).toEqual(wrongBody);
  });

  it("takes as long for an unknown email as for a wrong password (both pay Argon2)", async ({ first, login }) => {
    const refused = (email: (i: number) => string) => async (i: number) => {
      expect((await login({ email: email(i), password: `wrong-password-${i}` })).status).toBe(401);
    };
    await expectSameTiming(
      11,
      { name: "wrong", run: refused(() => first.email) },
      { name: "unknown", run: refused((i) => `nobody-${i}@example.com`) },
    );
  });

  it("is 400 listing every problem of a bad body", async ({ first, login }) => {
    const res = await login({ email: "nope", password: "", remember_me: true });
    expectError(res, 400, "validation_error");
    expect(detailPaths(res)).toEqual(["email", "password", "remember_me"]);
    // Refused before any Argon2 work is spent on it.
    const huge = await login({ email: `${"a".repeat(100_000)}@example.com`, password: "p".repeat(100_000) });
    expectError(huge, 400, "validation_error");
    expect(detailPaths(huge)).toEqual(["email", "password"]);
    expectError(await login({ email: first.email, password: 1234567890 }), 400, "validation_error");
  });
});

describe("session tokens", () => {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const claims = (user: TestUser, expiresInSeconds = 3600) => {
    const now = Math.floor(Date.now() / 1000);
    return {
      sub: user.id,
      org: user.organizationId,
      iss: "upfleet",
      aud: "upfleet-api",
      iat: now,
      exp: now + expiresInSeconds,
      jti: `jti-${now}-${Math.random()}`,
    };
  };
  /** Signed by hand (HS256), so the API's own issuer is not what builds the tokens that attack it. */
  const hs256 = (payload: unknown, secret: string) => {
    const unsigned = `${b64({ alg: "HS256", typ: "JWT" })}.${b64(payload)}`;
    return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
  };

  it("accepts a hand-made token signed with the deployment secret (so the refusals below mean something)", async ({
    api,
    first,
    account,
  }) => {
    expect((await account(hs256(claims(first), api.deps.config.APP_SECRET!))).status).toBe(200);
  });

  it("refuses alg: none", async ({ first, account }) => {
    for (const alg of ["none", "None", "NONE"]) {
      expectError(await account(`${b64({ alg, typ: "JWT" })}.${b64(claims(first))}.`), 401, "unauthorized");
    }
  });

  it("refuses a token signed with another secret", async ({ first, account }) => {
    const other = "another-secret-another-secret-0123456789";
    expectError(await account(hs256(claims(first), other)), 401, "unauthorized");
    const { token } = await createSessionTokens(other).issue({
      userId: first.id,
      organizationId: first.organizationId,
    });
    expectError(await account(token), 401, "unauthorized");
  });

  it("refuses an expired token", async ({ api, first, account }) => {
    expectError(await account(hs256(claims(first, -60), api.deps.config.APP_SECRET!)), 401, "unauthorized");
    const thirteenHoursAgo = new Date(Date.now() - 13 * 60 * 60 * 1000);
    const { token } = await createSessionTokens(api.deps.config.APP_SECRET!).issue(
      { userId: first.id, organizationId: first.organizationId },
      thirteenHoursAgo,
    );
    expectError(await account(token), 401, "unauthorized");
  });

  it("refuses tokens with the wrong issuer, audience or organization", async ({ api, first, account }) => {
    for (const tampered of [
      { ...claims(first), iss: "someone-else" },
      { ...claims(first), aud: "another-api" },
      { ...claims(first), org: "org_01aaaaaaaaaaaaaaaaaaaaaaaa" },
      { ...claims(first), sub: undefined },
    ]) {
      expectError(await account(hs256(tampered, api.deps.config.APP_SECRET!)), 401, "unauthorized");
    }
  });

  it("refuses garbage", async ({ first, account }) => {
    const [header, payload] = first.token.split(".");
    for (const garbage of ["garbage", "a.b.c", `${header}.${payload}`, `${header}.${payload}.`, `${first.token}x`]) {
      expectError(await account(garbage), 401, "unauthorized");
    }
  });

  it("refuses the token of a deleted user", async ({ api, first, account }) => {
    const member = await addUser(api, first, "member");
    expect((await account(member.token)).status).toBe(200);
    expect((await api.request("DELETE", `/api/v1/users/${member.id}`, { auth: first.token })).status).toBe(204);
    expectError(await account(member.token), 401, "unauthorized");
  });
});
