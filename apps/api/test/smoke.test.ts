import { describe, expect } from "vitest";
import { createKey } from "./support/accounts.ts";
import { test as it } from "./support/fixtures.ts";

describe("the API on real services", () => {
  it("signs up, creates a key and reads the account with it", async ({ api, owner }) => {
    const key = await createKey(api, owner);
    const res = await api.request("GET", "/api/v1/account", { headers: { "x-api-key": key.raw } });
    expect(res.status).toBe(200);
    expect(res.body.api_key.id).toBe(key.id);
    expect(res.headers.get("x-ratelimit-limit")).toBe("60");
  });
});
