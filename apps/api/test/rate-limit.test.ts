import { waitFor } from "@upfleet/testing";
import { beforeEach, describe, expect } from "vitest";
import { addUser, createKey, signupOwner, type TestUser } from "./support/accounts.ts";
import { apiTest } from "./support/fixtures.ts";
import { startTestApi, type TestApi, type TestResponse } from "./support/test-api.ts";

const PER_MINUTE = 5;
const TEAM = { per_minute: 7, per_hour: 100 };
const ENV = {
  RATE_LIMIT_PER_MINUTE: String(PER_MINUTE),
  RATE_LIMIT_PLANS: JSON.stringify({ team: TEAM }),
  OPEN_SIGNUP: "true",
};

/** `freshOwner`: a new organization's owner for each test, with its whole minute to spend. */
const it = apiTest(ENV).extend<{ freshOwner: TestUser }>({
  freshOwner: async ({ api }, use) => use(await signupOwner(api)),
});
/**
 * Counters are per clock minute: a test that began just before the boundary would see its burst
 * split over two windows. Each test starts well inside one (waiting for the next if need be), with
 * the API already started so that its start takes nothing from the window.
 */
beforeEach<{ api: TestApi }>(async ({ api: _ }) => {
  const window = Math.floor(Date.now() / 60_000);
  if ((window + 1) * 60_000 - Date.now() > 5_000) return;
  await waitFor(() => Math.floor(Date.now() / 60_000) > window, { timeoutMs: 7_000, intervalMs: 20, what: "a minute" });
});

const nextMinute = () => (Math.floor(Date.now() / 60_000) + 1) * 60;

function account(target: TestApi, credential: string): Promise<TestResponse> {
  return target.request("GET", "/api/v1/account", { auth: credential });
}

/** GET /account sending back the ETag the client holds. */
function revalidate(target: TestApi, credential: string, etag: string): Promise<TestResponse> {
  return target.request("GET", "/api/v1/account", { auth: credential, headers: { "if-none-match": etag } });
}

function expectLimited(res: TestResponse, limit: number, resetsAt: number) {
  expect(res.status, res.text).toBe(429);
  expect(res.body).toEqual({ error: "rate_limited", message: expect.any(String), request_id: expect.any(String) });
  expect(res.body.request_id).toBe(res.headers.get("x-request-id"));
  expect(res.headers.get("x-ratelimit-limit")).toBe(String(limit));
  expect(res.headers.get("x-ratelimit-remaining")).toBe("0");
  expect(res.headers.get("x-ratelimit-reset")).toBe(String(resetsAt));
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  // Seconds until the window resets, as seen when the answer was made.
  expect(Math.abs(retryAfter - (resetsAt - Math.floor(Date.now() / 1000)))).toBeLessThanOrEqual(1);
}

/** Spends a credential's whole minute: `remaining` counts down to 0, then a 429. */
async function exhaust(
  target: TestApi | TestApi[],
  credential: string,
  limit: number,
  used = 0,
): Promise<TestResponse> {
  const targets = Array.isArray(target) ? target : [target];
  const reset = nextMinute();
  for (let n = used + 1; n <= limit; n++) {
    const res = await account(targets[n % targets.length]!, credential);
    expect(res.status, `request ${n}: ${res.text}`).toBe(200);
    expect(res.headers.get("x-ratelimit-limit")).toBe(String(limit));
    expect(res.headers.get("x-ratelimit-remaining"), `request ${n}`).toBe(String(limit - n));
    expect(res.headers.get("x-ratelimit-reset")).toBe(String(reset));
  }
  const refused = await account(targets[(limit + 1) % targets.length]!, credential);
  expectLimited(refused, limit, reset);
  return refused;
}

describe("per-minute limits", () => {
  it("counts down in X-RateLimit-* headers and refuses the request past the limit with 429", async ({
    api,
    freshOwner,
  }) => {
    const key = await createKey(api, freshOwner);
    const before = Date.now();
    const first = await account(api, key.raw);
    expect(first.headers.get("x-ratelimit-limit")).toBe(String(PER_MINUTE));
    expect(first.headers.get("x-ratelimit-remaining")).toBe(String(PER_MINUTE - 1));
    // The unix second at which the current minute ends.
    expect(Number(first.headers.get("x-ratelimit-reset"))).toBe((Math.floor(before / 60_000) + 1) * 60);
    await exhaust(api, key.raw, PER_MINUTE, 1);
  });

  it("counts per API key: another key of the same user keeps its full budget", async ({ api, freshOwner }) => {
    const spent = await createKey(api, freshOwner, { name: "spent" });
    const fresh = await createKey(api, freshOwner, { name: "fresh" });
    await exhaust(api, spent.raw, PER_MINUTE);
    const res = await account(api, fresh.raw);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-ratelimit-remaining")).toBe(String(PER_MINUTE - 1));
  });

  it("counts per user for session tokens, apart from that user's keys", async ({ api, freshOwner }) => {
    const member = await addUser(api, freshOwner, "member"); // the owner's 1st request
    const key = await createKey(api, freshOwner); // the 2nd
    await exhaust(api, freshOwner.token, PER_MINUTE, 2);
    for (const credential of [member.token, key.raw]) {
      const res = await account(api, credential);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-ratelimit-remaining")).toBe(String(PER_MINUTE - 1));
    }
  });

  it("shares one counter across API instances", async ({ api, replica, freshOwner }) => {
    const key = await createKey(api, freshOwner);
    // Alternating instances: the 6th request overall is refused by whichever serves it.
    await exhaust([api, replica], key.raw, PER_MINUTE);
    await exhaust([replica, api], (await createKey(api, freshOwner)).raw, PER_MINUTE);
  });
});

describe("conditional requests", () => {
  it("answered 304 give their point back, so polling with ETags outlasts the limit; a plain GET still counts", async ({
    api,
    freshOwner,
  }) => {
    const key = await createKey(api, freshOwner);
    const first = await account(api, key.raw);
    const etag = first.headers.get("etag")!;
    expect(etag).toBeTruthy();
    expect(first.headers.get("x-ratelimit-remaining")).toBe(String(PER_MINUTE - 1));
    for (let n = 1; n <= PER_MINUTE * 3; n++) {
      const res = await revalidate(api, key.raw, etag);
      expect(res.status, `conditional request ${n}: ${res.text}`).toBe(304);
      expect(res.headers.get("x-ratelimit-remaining"), `conditional request ${n}`).toBe(String(PER_MINUTE - 1));
      expect(res.headers.get("x-ratelimit-hour-remaining")).toBe(String(1000 - 1));
    }
    // An ETag that no longer matches is an ordinary request: a 200, counted.
    const changed = await revalidate(api, key.raw, 'W/"something else"');
    expect(changed.status).toBe(200);
    expect(changed.headers.get("x-ratelimit-remaining")).toBe(String(PER_MINUTE - 2));
    expect(changed.headers.get("x-ratelimit-hour-remaining")).toBe(String(1000 - 2));
    await exhaust(api, key.raw, PER_MINUTE, 2);
    // At the limit a conditional request is refused like any other: it needs a point to be served.
    expectLimited(await revalidate(api, key.raw, etag), PER_MINUTE, nextMinute());
  });

  it("are free only up to ten times the minute's limit a minute", async ({ api, freshOwner }) => {
    const key = await createKey(api, freshOwner);
    const etag = (await account(api, key.raw)).headers.get("etag")!;
    for (let n = 1; n <= PER_MINUTE * 10; n++) {
      const res = await revalidate(api, key.raw, etag);
      expect(res.headers.get("x-ratelimit-remaining"), `conditional request ${n}`).toBe(String(PER_MINUTE - 1));
    }
    const past = await revalidate(api, key.raw, etag);
    expect(past.status).toBe(304);
    expect(past.headers.get("x-ratelimit-remaining")).toBe(String(PER_MINUTE - 2));
  });
});

describe("per-plan limits", () => {
  it("gives an organization on the team plan its plan's limits, in headers and in GET /account", async ({ api }) => {
    const owner = await signupOwner(api, "team");
    await api.deps.db.organization.update({ where: { id: owner.organizationId }, data: { plan: "team" } });
    const key = await createKey(api, owner);
    const res = await account(api, key.raw);
    expect(res.status).toBe(200);
    expect(res.body.organization.plan).toBe("team");
    expect(res.body.rate_limit).toEqual({ limit_per_minute: TEAM.per_minute, limit_per_hour: TEAM.per_hour });
    await exhaust(api, key.raw, TEAM.per_minute, 1);
    // Session tokens read the plan on every request.
    await exhaust(api, owner.token, TEAM.per_minute, 1);
  });

  it("keeps the default plan's limits for everyone else", async ({ api }) => {
    const owner = await signupOwner(api);
    const res = await account(api, owner.token);
    expect(res.body.organization.plan).toBe("free");
    expect(res.body.rate_limit).toEqual({ limit_per_minute: PER_MINUTE, limit_per_hour: 1000 });
  });
});

describe("per-hour limits", () => {
  it("refuses past the hour limit even with minutes to spare", async ({ api }) => {
    const hourly = await startTestApi(
      { ...ENV, RATE_LIMIT_PER_MINUTE: "100", RATE_LIMIT_PER_HOUR: "3" },
      { database: api.database, redis: api.redis },
    );
    try {
      const owner = await signupOwner(hourly, "hourly");
      const key = await createKey(hourly, owner);
      for (let n = 1; n <= 3; n++) {
        const res = await account(hourly, key.raw);
        expect(res.status, `request ${n}`).toBe(200);
        expect(res.headers.get("x-ratelimit-remaining")).toBe(String(100 - n));
      }
      const refused = await account(hourly, key.raw);
      expectLimited(refused, 3, (Math.floor(Date.now() / 3_600_000) + 1) * 3600);
      expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(3600);
    } finally {
      await hourly.close();
    }
  });
});

describe("sign-up and login", () => {
  it("are limited per client IP, since each attempt costs an Argon2 hash", async () => {
    // A Redis prefix of its own: this file's other sign-ups came from the same address.
    const guarded = await startTestApi({ ...ENV, AUTH_RATE_LIMIT_PER_MINUTE: "3" });
    try {
      const body = { email: "nobody@example.com", password: "not the password" };
      for (let n = 1; n <= 3; n++) {
        const res = await guarded.request("POST", "/api/v1/auth/login", { body });
        expect(res.status, `attempt ${n}`).toBe(401);
        expect(res.headers.get("x-ratelimit-remaining")).toBe(String(3 - n));
      }
      expectLimited(await guarded.request("POST", "/api/v1/auth/login", { body }), 3, nextMinute());
      // The same counter guards sign-up: one budget per address for both.
      const signup = await guarded.request("POST", "/api/v1/auth/signup", {
        body: { email: "new@example.com", password: "long enough password", organization_name: "New" },
      });
      expect(signup.status).toBe(429);
    } finally {
      await guarded.close();
    }
  });
});
