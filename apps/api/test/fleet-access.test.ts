import { describe, expect } from "vitest";
import { addUser, createKey, signupOwner, type TestUser } from "./support/accounts.ts";
import { apiTest } from "./support/fixtures.ts";
import { expectError } from "./support/security.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

const it = apiTest({ OPEN_SIGNUP: "true", FLEET_ADMIN_EMAILS: " Ops@Example.com , other-op@example.com" }).extend<{
  /** Listed in FLEET_ADMIN_EMAILS (in another case). */
  operator: TestUser;
  /** The operator's organization, not listed. */
  colleague: TestUser;
  /** A self-signed-up organization's owner. */
  tenant: TestUser;
}>({
  operator: [async ({ api }, use) => use(await signupOwner(api, "ops", "ops@example.com")), { scope: "file" }],
  colleague: [async ({ api, operator }, use) => use(await addUser(api, operator, "admin")), { scope: "file" }],
  tenant: [async ({ api }, use) => use(await signupOwner(api, "tenant")), { scope: "file" }],
});
const FLEET = ["/api/v1/regions", "/api/v1/workers"];
const get = (api: TestApi, path: string, headers: Record<string, string>) => api.request("GET", path, { headers });

describe("fleet endpoints", () => {
  it("answer the deployment's operators, by session or by a key with fleet:read", async ({ api, operator }) => {
    const key = await createKey(api, operator, { scopes: ["fleet:read"] });
    for (const path of FLEET) {
      const callers: Record<string, string>[] = [
        { authorization: `Bearer ${operator.token}` },
        { "x-api-key": key.raw },
      ];
      for (const headers of callers) {
        const res = await get(api, path, headers);
        expect(res.status, res.text).toBe(200);
        expect(Array.isArray(res.body)).toBe(true);
      }
    }
  });

  it("are 404 for everyone else, exactly as a path that does not exist", async ({ api, colleague, tenant }) => {
    const keys = [
      await createKey(api, tenant, { scopes: ["fleet:read"] }),
      // Without the scope either: a 403 would say the route is there.
      await createKey(api, tenant, { scopes: ["monitors:read"] }),
      await createKey(api, colleague),
    ];
    const viewer = await addUser(api, tenant, "viewer");
    const callers: Record<string, string>[] = [
      { authorization: `Bearer ${tenant.token}` },
      { authorization: `Bearer ${viewer.token}` },
      { authorization: `Bearer ${colleague.token}` },
      ...keys.map((key) => ({ "x-api-key": key.raw })),
    ];
    for (const path of FLEET) {
      for (const headers of callers) {
        const res = await get(api, path, headers);
        expectError(res, 404, "not_found");
        const unknown = await get(api, `${path}x`, headers);
        expect(res.body.message).toBe(unknown.body.message.replace(`${path}x`, path));
      }
    }
  });

  it("are 403 for an operator's key without fleet:read", async ({ api, operator }) => {
    const key = await createKey(api, operator, { scopes: ["monitors:read"] });
    for (const path of FLEET) expectError(await get(api, path, { "x-api-key": key.raw }), 403, "forbidden");
  });

  it("are 404 for everyone when FLEET_ADMIN_EMAILS is empty (the default)", async ({ api, operator }) => {
    const closed = await startTestApi({}, { database: api.database, redis: api.redis });
    try {
      for (const path of FLEET) {
        expectError(await closed.request("GET", path, { auth: operator.token }), 404, "not_found");
      }
    } finally {
      await closed.close();
    }
  });
});
