import { describe, expect } from "vitest";
import { addUser, createKey } from "./support/accounts.ts";
import { test as it } from "./support/fixtures.ts";
import { expectError } from "./support/security.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

// The file's API runs with the default plan's limits: 60 a minute, 1,000 an hour.
const account = (api: TestApi, headers: Record<string, string>) => api.request("GET", "/api/v1/account", { headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("GET /account", () => {
  it("describes a session: organization, user, no key, the plan's limits", async ({ api, owner }) => {
    const res = await account(api, bearer(owner.token));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      organization: { id: owner.organizationId, name: "owner org", plan: "free" },
      user: { id: owner.id, email: owner.email, role: "owner" },
      api_key: null,
      rate_limit: { limit_per_minute: 60, limit_per_hour: 1000 },
    });
  });

  it("describes a key: its id, name and scopes, and counts it in the rate-limit headers", async ({ api, owner }) => {
    const key = await createKey(api, owner, { name: "ci", scopes: ["account:read", "monitors:read"] });
    const res = await account(api, { "x-api-key": key.raw });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      organization: { id: owner.organizationId, name: "owner org", plan: "free" },
      user: { id: owner.id, email: owner.email, role: "owner" },
      api_key: { id: key.id, name: "ci", scopes: ["account:read", "monitors:read"] },
      rate_limit: { limit_per_minute: 60, limit_per_hour: 1000 },
    });
    expect(res.headers.get("x-ratelimit-limit")).toBe("60");
    expect(res.headers.get("x-ratelimit-remaining")).toBe("59");
    const reset = Number(res.headers.get("x-ratelimit-reset"));
    expect(reset * 1000).toBeGreaterThan(Date.now());
    expect(reset * 1000).toBeLessThanOrEqual(Date.now() + 61_000);
  });

  it("shows a key with every scope spelt out", async ({ api, owner }) => {
    const key = await createKey(api, owner);
    const res = await account(api, bearer(key.raw));
    expect(res.body.api_key.scopes).toHaveLength(15);
  });

  it("shows each user their own role", async ({ api, owner }) => {
    for (const role of ["admin", "member", "viewer"] as const) {
      const user = await addUser(api, owner, role);
      const res = await account(api, bearer(user.token));
      expect(res.body.user).toEqual({ id: user.id, email: user.email, role });
      expect(res.body.organization.id).toBe(owner.organizationId);
    }
  });

  it("reports the limits of the organization's plan", async ({ api, owner }) => {
    const plans = JSON.stringify({ team: { per_minute: 600, per_hour: 20000 } });
    const team = await startTestApi({ RATE_LIMIT_PLANS: plans }, { database: api.database, redis: api.redis });
    try {
      await api.deps.db.organization.update({ where: { id: owner.organizationId }, data: { plan: "team" } });
      const res = await team.request("GET", "/api/v1/account", { auth: owner.token });
      expect(res.body.organization.plan).toBe("team");
      expect(res.body.rate_limit).toEqual({ limit_per_minute: 600, limit_per_hour: 20000 });
      expect(res.headers.get("x-ratelimit-limit")).toBe("600");
    } finally {
      await api.deps.db.organization.update({ where: { id: owner.organizationId }, data: { plan: "free" } });
      await team.close();
    }
  });

  it("is 401 without a credential, and answers a key without account:read (issue #16)", async ({ api, owner }) => {
    expectError(await account(api, {}), 401, "unauthorized");
    const key = await createKey(api, owner, { scopes: ["monitors:read"] });
    const res = await account(api, { "x-api-key": key.raw });
    expect(res.status, res.text).toBe(200);
    expect(res.body.api_key.scopes).toEqual(["monitors:read"]);
  });

  it("is 400 for a query it does not take", async ({ api, owner }) => {
    expectError(await api.request("GET", "/api/v1/account?verbose=1", { auth: owner.token }), 400, "validation_error");
  });
});
