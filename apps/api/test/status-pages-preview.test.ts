import { describe, expect } from "vitest";
import { expectError } from "./support/security.ts";
import { test as it } from "./support/tenants.ts";

// The dashboard's preview: the public view of a page before it is published, for its organization only.
describe("GET /status-pages/:id/preview", () => {
  it("shows an unpublished page as the public would see it, only to its organization", async ({
    api,
    owner,
    other,
    monA,
  }) => {
    const created = await api.request("POST", "/api/v1/status-pages", {
      auth: owner.token,
      body: { name: "Acme", slug: "preview-me", description: "Ours", sections: [{ name: "API", monitor_ids: [monA] }] },
    });
    expect(created.status, created.text).toBe(201);
    const path = `/api/v1/status-pages/${created.body.id}/preview`;

    const preview = await api.request("GET", path, { auth: owner.token });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body).toMatchObject({
      name: "Acme",
      slug: "preview-me",
      description: "Ours",
      sections: [{ name: "API", components: [{ id: monA, name: "site", days: expect.any(Array) }] }],
      active_incidents: [],
      recent_incidents: [],
    });
    // Still unpublished: the public has nothing at its slug.
    expectError(await api.request("GET", "/api/v1/public/status-pages/preview-me"), 404, "not_found");
    expectError(await api.request("GET", path, { auth: other.token }), 404, "not_found");
    expectError(await api.request("GET", path), 401, "unauthorized");
  });
});
