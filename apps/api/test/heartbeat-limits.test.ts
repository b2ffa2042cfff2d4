import { waitFor } from "@upfleet/testing";
import { test } from "@upfleet/testing/fixtures";
import { describe, expect } from "vitest";
import { signupOwner, type TestUser } from "./support/accounts.ts";
import { expectError } from "./support/security.ts";
import { newHeartbeat } from "./support/tenants.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

const PER_TOKEN = 5;
const PER_IP = 12;

/**
 * `limited`: an API of the test's own (both limits count per client IP, and every test pings from
 * 127.0.0.1) with its owner; `heartbeat` creates a heartbeat monitor on it.
 */
const it = test.extend<{
  limited: { api: TestApi; owner: TestUser };
  heartbeat: () => Promise<{ id: string; token: string }>;
}>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern.
  limited: async ({}, use) => {
    const api = await startTestApi({
      HEARTBEAT_RATE_LIMIT_PER_MINUTE: String(PER_TOKEN),
      HEARTBEAT_IP_RATE_LIMIT_PER_MINUTE: String(PER_IP),
    });
    const owner = await signupOwner(api);
    // Counters are per clock minute: start each test well inside one, as rate-limit.test.ts does.
    const window = Math.floor(Date.now() / 60_000);
    if ((window + 1) * 60_000 - Date.now() <= 5_000) {
      await waitFor(() => Math.floor(Date.now() / 60_000) > window, {
        timeoutMs: 7_000,
        intervalMs: 20,
        what: "a minute",
      });
    }
    await use({ api, owner });
    await api.close();
  },
  heartbeat: async ({ limited: { api, owner } }, use) => use(() => newHeartbeat(api, owner, { interval_seconds: 60 })),
});

describe("heartbeat ping limits", () => {
  it("refuse a token's pings past its per-minute limit with 429 and Retry-After, and log none of them", async ({
    limited: { api },
    heartbeat,
  }) => {
    const [a, b] = [await heartbeat(), await heartbeat()];
    for (let i = 0; i < PER_TOKEN; i++)
      expect((await api.request("GET", `/api/heartbeat/${a.token}`)).status).toBe(200);
    const refused = await api.request("GET", `/api/heartbeat/${a.token}/start`);
    expectError(refused, 429, "rate_limited");
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another token of the same client still has its own budget.
    expect((await api.request("GET", `/api/heartbeat/${b.token}`)).status).toBe(200);
    expect(await api.deps.db.heartbeatPing.count({ where: { monitorId: a.id } })).toBe(PER_TOKEN);
  });

  it("refuse a client past its per-IP limit whatever the token, unknown tokens included", async ({
    limited: { api },
    heartbeat,
  }) => {
    const tokens = await Promise.all(Array.from({ length: 3 }, () => heartbeat()));
    expectError(await api.request("GET", "/api/heartbeat/AAAAAAAAAAAAAAAAAAAAAAAA"), 404, "not_found");
    let answered = 1;
    for (const { token } of tokens) {
      for (let i = 0; i < 4 && answered < PER_IP; i++, answered++) {
        expect((await api.request("GET", `/api/heartbeat/${token}`)).status).toBe(200);
      }
    }
    expect(answered).toBe(PER_IP);
    expectError(await api.request("GET", `/api/heartbeat/${tokens[2]!.token}`), 429, "rate_limited");
    expectError(await api.request("GET", "/api/heartbeat/BBBBBBBBBBBBBBBBBBBBBBBB"), 429, "rate_limited");
  });
});
