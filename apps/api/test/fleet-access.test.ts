import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, createKey, signupOwner, type TestUser } from "./support/accounts.ts";
import { expectError } from "./support/security.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

let api: TestApi;
let operator: TestUser; // listed in FLEET_ADMIN_EMAILS (in another case)
let colleague: TestUser; // the operator's organization, not listed
let tenant: TestUser; // a self-signed-up organization's owner

beforeAll(async () => {
  api = await startTestApi({ OPEN_SIGNUP: "true", FLEET_ADMIN_EMAILS: " Ops@Example.com , other-op@example.com" });
  operator = await signupOwner(api, "ops", "ops@example.com");
  colleague = await addUser(api, operator, "admin");
  tenant = await signupOwner(api, "tenant");
});
afterAll(() => api?.close());

const FLEET = ["/api/v1/regions", "/api/v1/workers"];
const get = (path: string, headers: Record<string, string>) => api.request("GET", path, { headers });

describe("fleet endpoints", () => {
  it("answer the deployment's operators, by session or by a key with fleet:read", async () => {
    const key = await createKey(api, operator, { scopes: ["fleet:read"] });
    for (const path of FLEET) {
      const callers: Record<string, string>[] = [
        { authorization: `Bearer ${operator.token}` },
        { "x-api-key": key.raw },
      ];
      for (const headers of callers) {
        const res = await get(path, headers);
        expect(res.status, res.text).toBe(200);
        expect(Array.isArray(res.body)).toBe(true);
      }
    }
  });

  it("are 404 for everyone else, exactly as a path that does not exist", async () => {
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
        const res = await get(path, headers);
        expectError(res, 404, "not_found");
        const unknown = await get(`${path}x`, headers);
        expect(res.body.message).toBe(unknown.body.message.replace(`${path}x`, path));
      }
    }
  });

  it("are 403 for an operator's key without fleet:read", async () => {
    const key = await createKey(api, operator, { scopes: ["monitors:read"] });
    for (const path of FLEET) expectError(await get(path, { "x-api-key": key.raw }), 403, "forbidden");
  });

  it("are 404 for everyone when FLEET_ADMIN_EMAILS is empty (the default)", async () => {
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
