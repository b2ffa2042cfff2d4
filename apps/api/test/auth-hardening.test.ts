import { randomBytes } from "node:crypto";
import { describe, expect } from "vitest";
import { addUser, createKey, PASSWORD, signupOwner } from "./support/accounts.ts";
import { apiTest } from "./support/fixtures.ts";
import { requestFrom } from "./support/from-address.ts";
import { detailPaths, expectError, tableCounts } from "./support/security.ts";
import { expectSameTiming } from "./support/timing.ts";

const LIMIT = 3;

type Answer = Awaited<ReturnType<typeof requestFrom>>;

/** `account` reads GET /account and `login` logs in, each from the client address `source`. */
const it = apiTest({
  OPEN_SIGNUP: "true",
  // The owner's own requests are many here; the plan limit is rate-limit.test.ts's business.
  RATE_LIMIT_PER_MINUTE: "100000",
  AUTH_FAILURES_PER_IP: String(LIMIT),
  AUTH_FAILURES_PER_KEY_PREFIX: String(LIMIT),
  AUTH_FAILURES_PER_EMAIL: String(LIMIT),
}).extend<{
  account: (source: string, headers: Record<string, string>) => Promise<Answer>;
  login: (source: string, email: string, password: string) => Promise<Answer>;
}>({
  account: async ({ api }, use) =>
    use((source, headers) => requestFrom(api, source, "GET", "/api/v1/account", { headers })),
  login: async ({ api }, use) =>
    use((source, email, password) =>
      requestFrom(api, source, "POST", "/api/v1/auth/login", { body: { email, password } }),
    ),
});
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** A well-formed key that is not the real one but shares its 12-character lookup prefix. */
const forgedKey = (raw: string) =>
  `${raw.slice(0, 12)}${[...randomBytes(32)].map((byte) => BASE62[byte % 62]).join("")}`;

function expectLockedOut(res: { status: number; headers: Record<string, unknown>; body: { error?: string } }) {
  expect(res.status, JSON.stringify(res.body)).toBe(429);
  expect(res.body.error).toBe("rate_limited");
  const retryAfter = Number(res.headers["retry-after"]);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  return retryAfter;
}

describe("failed API-key checks", () => {
  it("are limited per client IP before any hashing: even the right key is refused there, not elsewhere", async ({
    api,
    owner,
    account,
  }) => {
    const key = await createKey(api, owner, { name: "never used yet" });
    const decoy = await createKey(api, owner, { name: "decoy" });
    for (let n = 1; n <= LIMIT; n++) {
      // A real prefix (an Argon2 check) or an unknown one: each is a failure of this address.
      const guess = forgedKey(n === 1 ? decoy.raw : `upf_${randomBytes(4).toString("hex")}`);
      const header: Record<string, string> = n % 2 ? { "x-api-key": guess } : { authorization: `Bearer ${guess}` };
      const res = await account("127.0.0.10", header);
      expect(res.status).toBe(401);
      expect(res.body.error).toBe("unauthorized");
    }
    const retryAfter = expectLockedOut(await account("127.0.0.10", { "x-api-key": forgedKey(decoy.raw) }));
    expect(retryAfter).toBeLessThanOrEqual(900);
    // The real key, never verified (so not cached), is refused too: nothing was hashed for it, or it
    // would have been accepted. That is the proof that the check runs before Argon2.
    expectLockedOut(await account("127.0.0.10", { "x-api-key": key.raw }));
    // Another address is not affected, and its success caches the key…
    expect((await account("127.0.0.11", { "x-api-key": key.raw })).status).toBe(200);
    // …after which the locked-out address may use the cached key: serving it costs no Argon2.
    expect((await account("127.0.0.10", { "x-api-key": key.raw })).status).toBe(200);
  });

  it("are limited per key prefix, across addresses, before any hashing", async ({ api, owner, account }) => {
    const key = await createKey(api, owner, { name: "guessed at" });
    for (let n = 1; n <= LIMIT; n++) {
      // One failure from each address: no address is over its own limit.
      expect((await account(`127.0.0.${20 + n}`, { "x-api-key": forgedKey(key.raw) })).status).toBe(401);
    }
    expectLockedOut(await account("127.0.0.29", { "x-api-key": forgedKey(key.raw) }));
    expectLockedOut(await account("127.0.0.29", { "x-api-key": key.raw }));
    // Another prefix from the same fresh address is still checked (and fails on its own merits).
    const other = await createKey(api, owner, { name: "another" });
    expect((await account("127.0.0.29", { "x-api-key": forgedKey(other.raw) })).status).toBe(401);
    expect((await account("127.0.0.29", { "x-api-key": other.raw })).status).toBe(200);
  });

  it("count only failures: a good key used many times is never limited", async ({ api, owner, account }) => {
    const key = await createKey(api, owner, { name: "busy" });
    for (let n = 0; n < LIMIT * 3; n++) {
      expect((await account("127.0.0.30", { "x-api-key": key.raw })).status).toBe(200);
    }
  });
});

describe("failed logins", () => {
  it("are limited per client IP: past the limit even the right password is refused there, not elsewhere", async ({
    owner,
    login,
  }) => {
    for (let n = 1; n <= LIMIT; n++) {
      expect((await login("127.0.0.40", `nobody-${n}@example.com`, "not the password")).status).toBe(401);
    }
    expectLockedOut(await login("127.0.0.40", owner.email, PASSWORD));
    expect((await login("127.0.0.41", owner.email, PASSWORD)).status).toBe(200);
  });

  it("are limited per email (case-insensitively), whatever the address, with a lock-out of 30 s at first", async ({
    api,
    owner,
    login,
  }) => {
    const user = await addUser(api, owner, "member");
    for (let n = 1; n <= LIMIT; n++) {
      const email = n === 2 ? user.email.toUpperCase() : user.email;
      expect((await login(`127.0.0.${50 + n}`, email, "not the password")).status).toBe(401);
    }
    const retryAfter = expectLockedOut(await login("127.0.0.59", user.email, PASSWORD));
    expect(retryAfter).toBeLessThanOrEqual(30);
    // Another account from the same address is not affected.
    expect((await login("127.0.0.59", owner.email, PASSWORD)).status).toBe(200);
  });

  it("forget an email's failures once its password is given", async ({ api, owner, login }) => {
    const user = await addUser(api, owner, "viewer");
    let source = 60;
    for (let round = 0; round < 3; round++) {
      for (let n = 1; n < LIMIT; n++) {
        expect((await login(`127.0.0.${source++}`, user.email, "not the password")).status).toBe(401);
      }
      expect((await login(`127.0.0.${source++}`, user.email, PASSWORD)).status).toBe(200);
    }
  });

  it("lock an email out for twice as long at each further failure, up to a cap", async ({ api }) => {
    const { failedAuth } = api.deps;
    const subject = {
      key: `email-test:${randomBytes(4).toString("hex")}`,
      policy: { limit: 2, windowMs: 60_000, backoffMs: 1_000, maxLockMs: 4_000 },
    };
    const lockedFor = async () => {
      const error = await failedAuth.check([subject]).then(
        () => undefined,
        (e: { headers: Record<string, string> }) => e,
      );
      return error ? Number(error.headers["Retry-After"]) : 0;
    };
    await failedAuth.fail([subject]);
    expect(await lockedFor()).toBe(0);
    const seen: number[] = [];
    for (let n = 2; n <= 5; n++) {
      await failedAuth.fail([subject]);
      seen.push(await lockedFor());
    }
    expect(seen).toEqual([1, 2, 4, 4]);
    await failedAuth.clear(subject);
    expect(await lockedFor()).toBe(0);
  });
});

describe("passwords", () => {
  const weak = ["aaaaaaaaaa", " ".repeat(10), "password12", "PassWord12", "qwertyuiop", "1234567890"];

  it("refuses one repeated character, only whitespace and common passwords at sign-up, naming password", async ({
    api,
  }) => {
    const before = await tableCounts(api);
    for (const password of weak) {
      const res = await api.request("POST", "/api/v1/auth/signup", {
        body: { email: `weak-${randomBytes(3).toString("hex")}@example.com`, password, organization_name: "Weak" },
      });
      expectError(res, 400, "validation_error");
      expect(detailPaths(res), JSON.stringify(password)).toEqual(["password"]);
    }
    expect(await tableCounts(api)).toEqual(before);
  });

  it("refuses them in POST /users too", async ({ api, owner }) => {
    const before = await tableCounts(api);
    for (const password of weak) {
      const res = await api.request("POST", "/api/v1/users", {
        auth: owner.token,
        body: { email: `weak-${randomBytes(3).toString("hex")}@example.com`, password, role: "member" },
      });
      expectError(res, 400, "validation_error");
      expect(detailPaths(res), JSON.stringify(password)).toEqual(["password"]);
    }
    expect(await tableCounts(api)).toEqual(before);
  });
});

describe("taken emails", () => {
  const withoutRequestId = ({ request_id: _, ...rest }: Record<string, unknown>) => rest;

  it("POST /users answers a colleague's email and another organization's alike", async ({ api, owner }) => {
    const colleague = await addUser(api, owner, "member");
    const stranger = await signupOwner(api, "stranger");
    const create = (email: string) =>
      api.request("POST", "/api/v1/users", { auth: owner.token, body: { email, password: PASSWORD, role: "viewer" } });
    const [own, other] = [await create(colleague.email), await create(stranger.email.toUpperCase())];
    expectError(own, 409, "conflict");
    expectError(other, 409, "conflict");
    expect(withoutRequestId(other.body)).toEqual(withoutRequestId(own.body));
    expect(own.body.message).toBe("This email cannot be used");
    expect(JSON.stringify(other.body)).not.toMatch(/exist|organi[sz]ation/i);

    // Nor does the time tell them apart: both pay the Argon2 hash and the refused insert.
    const refused = (email: string) => async () => {
      expect((await create(email)).status).toBe(409);
    };
    await expectSameTiming(
      9,
      { name: "own", run: refused(colleague.email) },
      { name: "other", run: refused(stranger.email) },
    );
  });

  it("sign-up answers a taken email with the same words, and counts it as a failure of the address", async ({
    api,
  }) => {
    const taken = await signupOwner(api, "taken");
    const before = await tableCounts(api);
    const signup = (email: string) =>
      requestFrom(api, "127.0.0.80", "POST", "/api/v1/auth/signup", {
        body: { email, password: PASSWORD, organization_name: "Probe" },
      });
    for (let n = 1; n <= LIMIT; n++) {
      const res = await signup(taken.email);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ error: "conflict", message: "This email cannot be used" });
    }
    // Probing for accounts spends the address's failure budget, like guessing passwords does.
    expectLockedOut(await signup(`fresh-${randomBytes(3).toString("hex")}@example.com`));
    expect(await tableCounts(api)).toEqual(before);
  });
});

describe("X-API-Key", () => {
  it("holds an API key only: a session token there is 401, the same token as Bearer works", async ({ api, owner }) => {
    const res = await api.request("GET", "/api/v1/account", { headers: { "x-api-key": owner.token } });
    expectError(res, 401, "unauthorized");
    expect(res.body.message).toMatch(/X-API-Key/);
    expect((await api.request("GET", "/api/v1/account", { auth: owner.token })).status).toBe(200);
  });
});
