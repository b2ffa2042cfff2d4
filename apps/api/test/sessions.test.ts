import { createHmac, randomBytes } from "node:crypto";
import { waitFor } from "@upfleet/testing";
import { describe, expect } from "vitest";
import { addUser, createKey, PASSWORD, type TestUser } from "./support/accounts.ts";
import { apiTest } from "./support/fixtures.ts";
import { expectError } from "./support/security.ts";
import type { TestApi } from "./support/test-api.ts";

const account = (target: TestApi, token: string) => target.request("GET", "/api/v1/account", { auth: token });
const logout = (target: TestApi, auth?: string, headers?: Record<string, string>) =>
  target.request("POST", "/api/v1/auth/logout", { ...(auth ? { auth } : {}), ...(headers ? { headers } : {}) });

/** `login` logs a user in on `api` and returns the new session token. */
const it = apiTest({ OPEN_SIGNUP: "true" }).extend<{ login: (user: TestUser) => Promise<string> }>({
  login: async ({ api }, use) =>
    use(async (user) => {
      const res = await api.request("POST", "/api/v1/auth/login", { body: { email: user.email, password: PASSWORD } });
      expect(res.status, res.text).toBe(200);
      return res.body.token as string;
    }),
});
describe("session token claims", () => {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  /** Signed by hand with the deployment secret: only the claims decide. */
  const signed = (api: TestApi, claims: Record<string, unknown>) => {
    const unsigned = `${b64({ alg: "HS256", typ: "JWT" })}.${b64(claims)}`;
    const secret = api.deps.config.APP_SECRET!;
    return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
  };
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (owner: TestUser, overrides: Record<string, unknown> = {}) => ({
    sub: owner.id,
    org: owner.organizationId,
    iss: "upfleet",
    aud: "upfleet-api",
    iat: now(),
    exp: now() + 3600,
    jti: randomBytes(8).toString("hex"),
    ...overrides,
  });

  it("accepts a well-formed hand-made token (so the refusals below mean something)", async ({ api, owner }) => {
    expect((await account(api, signed(api, claims(owner)))).status).toBe(200);
    expect(
      (await account(api, signed(api, claims(owner, { iat: now() - 3600, exp: now() - 3600 + 12 * 3600 })))).status,
    ).toBe(200);
  });

  it.for<[string, Record<string, unknown>]>([
    ["no exp", { exp: undefined }],
    ["a 100-year exp", { exp: now() + 100 * 365 * 24 * 3600 }],
    ["exp 12 h and 1 s after iat", { iat: now() - 10, exp: now() - 10 + 12 * 3600 + 1 }],
    ["no iat", { iat: undefined }],
    ["an iat 10 minutes ahead", { iat: now() + 600, exp: now() + 3600 }],
    ["no jti", { jti: undefined }],
    ["an empty jti", { jti: "" }],
  ])("refuses a token with %s", async ([, overrides], { api, owner }) => {
    expectError(await account(api, signed(api, claims(owner, overrides))), 401, "unauthorized");
  });

  it("issues tokens that carry a jti and live 12 h", async ({ owner, login }) => {
    const token = await login(owner);
    const payload = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString());
    expect(payload.jti).toEqual(expect.stringMatching(/^[\w-]{16,}$/));
    expect(payload.exp - payload.iat).toBe(12 * 3600);
  });
});

describe("POST /auth/logout", () => {
  it("revokes that session on every instance, and no other session of the user", async ({
    api,
    replica,
    owner,
    login,
  }) => {
    const [first, second] = [await login(owner), await login(owner)];
    expect((await account(replica, first)).status).toBe(200);
    const res = await logout(api, first);
    expect(res.status, res.text).toBe(204);
    expect(res.text).toBe("");
    for (const target of [api, replica]) {
      const refused = await account(target, first);
      expectError(refused, 401, "unauthorized");
      expect(refused.body.message).toMatch(/revoked/);
      expect((await account(target, second)).status).toBe(200);
    }
    // A revoked session cannot log out again, nor do anything else.
    expectError(await logout(replica, first), 401, "unauthorized");
  });

  it("is 400 for an API key, which stays usable (keys are revoked with DELETE /keys/:id)", async ({ api, owner }) => {
    const key = await createKey(api, owner, { name: "not a session" });
    const credentials: Record<string, string>[] = [{ "x-api-key": key.raw }, { authorization: `Bearer ${key.raw}` }];
    for (const headers of credentials) {
      const res = await logout(api, undefined, headers);
      expectError(res, 400, "validation_error");
      expect(res.body.details).toEqual([expect.objectContaining({ path: "authorization" })]);
    }
    expect((await api.request("GET", "/api/v1/account", { headers: { "x-api-key": key.raw } })).status).toBe(200);
  });

  it("is 401 without a credential", async ({ api }) => {
    expectError(await logout(api), 401, "unauthorized");
  });

  it("is in the OpenAPI document", async ({ api }) => {
    const doc = (await api.request("GET", "/api/v1/openapi.json")).body;
    const operation = doc.paths["/api/v1/auth/logout"].post;
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(["204", "400", "401"]));
  });
});

describe("revoking all of a user's sessions", () => {
  it("refuses every session issued before, on every instance, while the user still exists", async ({
    api,
    replica,
    owner,
    login,
  }) => {
    const member = await addUser(api, owner, "member");
    const other = await login(member);
    // What user deletion (and a role change) does, besides the rows it removes.
    await replica.deps.authenticator.userRemoved(member.id);
    for (const target of [api, replica]) {
      expectError(await account(target, member.token), 401, "unauthorized");
      expectError(await account(target, other), 401, "unauthorized");
    }
    expect((await account(api, owner.token)).status).toBe(200);
    // A session issued afterwards works. iat has whole seconds: wait for one that is not before the revocation.
    const revokedAt = Number(await replica.deps.redis.get(`${replica.redis.prefix}:session:valid-after:${member.id}`));
    await waitFor(() => Math.floor(Date.now() / 1000) * 1000 >= revokedAt, { what: "the second after the revocation" });
    expect((await account(replica, await login(member))).status).toBe(200);
  });

  it("happens when the user is deleted", async ({ api, replica, owner }) => {
    const viewer = await addUser(api, owner, "viewer");
    expect((await account(replica, viewer.token)).status).toBe(200);
    expect((await api.request("DELETE", `/api/v1/users/${viewer.id}`, { auth: owner.token })).status).toBe(204);
    const key = `${api.redis.prefix}:session:valid-after:${viewer.id}`;
    const redis = api.deps.redis;
    expect(Number(await redis.get(key))).toBeGreaterThan(Date.now() - 60_000);
    expect(await redis.pttl(key)).toBeGreaterThan(12 * 3600 * 1000);
    expectError(await account(replica, viewer.token), 401, "unauthorized");
  });
});
