import { expect } from "vitest";
import type { TestUser } from "./accounts.ts";
import { apiTest } from "./fixtures.ts";
import type { TestApi } from "./test-api.ts";

/** An http monitor of `user`'s organization, created through the API; its id. */
export async function newMonitor(api: TestApi, user: TestUser): Promise<string> {
  const res = await api.request("POST", "/api/v1/monitors", {
    auth: user.token,
    body: { name: "site", type: "http", url: "https://example.com" },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

/**
 * A heartbeat monitor of `user`'s organization (hourly unless `fields` say otherwise: a
 * `heartbeat_schedule` replaces the interval, as both is a 400), created through the API.
 */
export async function newHeartbeat(
  api: TestApi,
  user: TestUser,
  fields: Record<string, unknown> = {},
): Promise<{ id: string; token: string; url: string }> {
  const res = await api.request("POST", "/api/v1/monitors", {
    auth: user.token,
    body: {
      type: "heartbeat",
      name: "job",
      ...("heartbeat_schedule" in fields ? {} : { interval_seconds: 3_600 }),
      ...fields,
    },
  });
  expect(res.status, res.text).toBe(201);
  return { id: res.body.id, token: res.body.heartbeat_token, url: res.body.heartbeat_url };
}

/** What a file of tenancy checks starts its API with: sign-up open, rate limits out of the way. */
const TENANTS_ENV = { OPEN_SIGNUP: "true", RATE_LIMIT_PER_MINUTE: "100000", RATE_LIMIT_PER_HOUR: "100000" };

/**
 * `apiTest` with `TENANTS_ENV` and `env` on top, plus the two tenants' monitors, created together on a
 * file's first test that names one.
 */
export function tenantsTest(env: Record<string, string> = {}) {
  return apiTest({ ...TENANTS_ENV, ...env }).extend<{
    monitors: { monA: string; monB: string; foreignMonitor: string };
    monA: string;
    monB: string;
    foreignMonitor: string;
  }>({
    monitors: [
      async ({ api, owner, other }, use) => {
        const [monA, monB, foreignMonitor] = await Promise.all([
          newMonitor(api, owner),
          newMonitor(api, owner),
          newMonitor(api, other),
        ]);
        await use({ monA, monB, foreignMonitor });
      },
      { scope: "file" },
    ],
    monA: [async ({ monitors }, use) => use(monitors.monA), { scope: "file" }],
    monB: [async ({ monitors }, use) => use(monitors.monB), { scope: "file" }],
    foreignMonitor: [async ({ monitors }, use) => use(monitors.foreignMonitor), { scope: "file" }],
  });
}

/** `tenantsTest()`. */
export const test = tenantsTest();
