import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKey, signupOwner } from "./support/accounts.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe("the API on real services", () => {
  it("signs up, creates a key and reads the account with it", async () => {
    const owner = await signupOwner(api);
    const key = await createKey(api, owner);
    const res = await api.request("GET", "/api/v1/account", { headers: { "x-api-key": key.raw } });
    expect(res.status).toBe(200);
    expect(res.body.api_key.id).toBe(key.id);
    expect(res.headers.get("x-ratelimit-limit")).toBe("60");
  });
});
