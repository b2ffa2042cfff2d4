import { newId } from "@upfleet/ids";
import { describe, expect } from "vitest";
import type { TestUser } from "./support/accounts.ts";
import { apiTest } from "./support/fixtures.ts";
import { detailPaths, expectError, tableCounts } from "./support/security.ts";
import type { TestApi, TestResponse } from "./support/test-api.ts";

const BASE = "/api/v1/incidents";
const request = (api: TestApi, user: TestUser, method: string, path: string, body?: unknown) =>
  api.request(method, `${BASE}${path}`, { auth: user.token, ...(body === undefined ? {} : { body }) });

interface Seed {
  monitorId: string;
  /** An open incident of `monitorId`'s and a resolved one without a monitor. */
  open: { id: string };
  resolved: { id: string };
}

/**
 * The file's `seed`; `call` sends to the incidents routes as `user` (the owner by default), and
 * `refused` sends each request and checks its error, then that no table and neither seeded incident changed.
 */
const it = apiTest({ OPEN_SIGNUP: "true", RATE_LIMIT_PER_MINUTE: "100000", RATE_LIMIT_PER_HOUR: "100000" }).extend<{
  seed: Seed;
  call: (method: string, path: string, body?: unknown, user?: TestUser) => Promise<TestResponse>;
  refused: (status: number, code: string, requests: (() => Promise<TestResponse>)[]) => Promise<TestResponse[]>;
}>({
  seed: [
    async ({ api, owner }, use) => {
      const monitor = await api.request("POST", "/api/v1/monitors", {
        auth: owner.token,
        body: { name: "Site", type: "http", url: "https://example.com" },
      });
      const monitorId = monitor.body.id;
      const open = (await request(api, owner, "POST", "", { monitor_id: monitorId, title: "Open", message: "first" }))
        .body;
      const resolved = (await request(api, owner, "POST", "", { title: "Done" })).body;
      expect((await request(api, owner, "POST", `/${resolved.id}/resolve`)).status).toBe(200);
      await use({ monitorId, open, resolved });
    },
    { scope: "file" },
  ],
  call: async ({ api, owner }, use) =>
    use((method, path, body, user = owner) => request(api, user, method, path, body)),
  refused: async ({ api, seed, call }, use) =>
    use(async (status, code, requests) => {
      const before = await tableCounts(api);
      const incidents = await Promise.all([seed.open, seed.resolved].map((i) => call("GET", `/${i.id}`)));
      const responses: TestResponse[] = [];
      for (const send of requests) {
        const res = await send();
        expectError(res, status, code);
        responses.push(res);
      }
      expect(await tableCounts(api)).toEqual(before);
      const after = await Promise.all([seed.open, seed.resolved].map((i) => call("GET", `/${i.id}`)));
      expect(after.map((r) => r.body)).toEqual(incidents.map((r) => r.body));
      return responses;
    }),
});
describe("incident errors", () => {
  it("400 for bodies that fail validation, with every problem listed", async ({ seed, call, refused }) => {
    const [many] = await refused(400, "validation_error", [
      () => call("POST", "", { title: "", message: "x".repeat(10_001), status: "resolved", severity: "high" }),
      () => call("POST", "", { title: "x".repeat(201) }),
      () => call("POST", "", { title: "   " }),
      () => call("POST", "", { message: "no title" }),
      () => call("POST", "", { title: "t", monitor_id: 42 }),
      () => call("PATCH", `/${seed.open.id}`, { status: "fixed", title: "", id: "inc_x" }),
      () => call("PATCH", `/${seed.open.id}`, { message: "" }),
      () => call("PATCH", `/${seed.open.id}`, { acknowledged_by: "me" }),
      () => call("POST", `/${seed.open.id}/updates`, { status: "monitoring" }),
      () => call("POST", `/${seed.open.id}/updates`, { message: "x".repeat(10_001) }),
      () => call("POST", `/${seed.open.id}/acknowledge`, { by: "me" }),
      () => call("POST", `/${seed.open.id}/resolve`, { message: "ok", status: "resolved" }),
    ]);
    expect(detailPaths(many!)).toEqual(["message", "severity", "status", "title"]);
  });

  it("400 for list queries that fail validation", async ({ call, refused }) => {
    await refused(400, "validation_error", [
      () => call("GET", "?status=down"),
      () => call("GET", "?active=yes"),
      () => call("GET", "?limit=0"),
      () => call("GET", "?limit=201"),
      () => call("GET", "?cursor=not-ours"),
      () => call("GET", "?severity=high"),
    ]);
  });

  it("404 for a monitor that is not the caller's (another tenant's, unknown, deleted)", async ({
    api,
    owner,
    other,
    call,
    refused,
  }) => {
    const theirs = await api.request("POST", "/api/v1/monitors", {
      auth: other.token,
      body: { name: "Theirs", type: "http", url: "https://example.com" },
    });
    const gone = await api.request("POST", "/api/v1/monitors", {
      auth: owner.token,
      body: { name: "Gone", type: "http", url: "https://example.com" },
    });
    expect((await api.request("DELETE", `/api/v1/monitors/${gone.body.id}`, { auth: owner.token })).status).toBe(204);
    await refused(404, "not_found", [
      () => call("POST", "", { monitor_id: theirs.body.id, title: "Mine now" }),
      () => call("POST", "", { monitor_id: newId("monitor"), title: "Nobody's" }),
      () => call("POST", "", { monitor_id: "not-an-id", title: "Nobody's" }),
      () => call("POST", "", { monitor_id: gone.body.id, title: "Deleted" }),
    ]);
  });

  it("404 for incidents that are not the caller's, on every route", async ({ other, seed, call, refused }) => {
    const missing = newId("incident");
    await refused(404, "not_found", [
      () => call("GET", `/${missing}`),
      () => call("GET", "/inc_short"),
      () => call("GET", `/${seed.open.id}`, undefined, other),
      () => call("PATCH", `/${seed.open.id}`, { title: "Taken" }, other),
      () => call("POST", `/${seed.open.id}/updates`, { message: "Taken" }, other),
      () => call("POST", `/${seed.open.id}/acknowledge`, undefined, other),
      () => call("POST", `/${seed.open.id}/resolve`, {}, other),
      () => call("PATCH", `/${missing}`, { title: "x" }),
    ]);
    const theirs = await call("GET", `?monitor_id=${seed.monitorId}`, undefined, other);
    expect(theirs.body.data).toEqual([]);
  });

  it("403 for a viewer on every write, while reads work", async ({ viewer, seed, call, refused }) => {
    expect((await call("GET", `/${seed.open.id}`, undefined, viewer)).status).toBe(200);
    await refused(403, "forbidden", [
      () => call("POST", "", { title: "Viewer's" }, viewer),
      () => call("PATCH", `/${seed.open.id}`, { title: "Viewer's" }, viewer),
      () => call("POST", `/${seed.open.id}/updates`, { message: "Viewer's" }, viewer),
      () => call("POST", `/${seed.open.id}/acknowledge`, undefined, viewer),
      () => call("POST", `/${seed.open.id}/resolve`, {}, viewer),
    ]);
  });

  it("409 for a second open incident on a monitor, and for every transition of a resolved one", async ({
    seed,
    call,
    refused,
  }) => {
    const responses = await refused(409, "conflict", [
      () => call("POST", "", { monitor_id: seed.monitorId, title: "Second" }),
      () => call("POST", `/${seed.resolved.id}/resolve`),
      () => call("POST", `/${seed.resolved.id}/resolve`, { message: "again" }),
      () => call("PATCH", `/${seed.resolved.id}`, { title: "Renamed" }),
      () => call("PATCH", `/${seed.resolved.id}`, { status: "investigating" }),
      () => call("POST", `/${seed.resolved.id}/updates`, { message: "Reopen?" }),
      () => call("POST", `/${seed.resolved.id}/acknowledge`),
    ]);
    expect(responses[1]!.body.message).toMatch(/resolved/);
  });

  it("resolves exactly once when two resolutions race", async ({ api, call }) => {
    const { body: incident } = await call("POST", "", { title: "Race" });
    const results = await Promise.all(Array.from({ length: 5 }, () => call("POST", `/${incident.id}/resolve`)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    const final = await call("GET", `/${incident.id}`);
    expect(final.body.updates.filter((u: { status: string }) => u.status === "resolved")).toHaveLength(1);
    const events = await api.deps.db.incidentEvent.count({
      where: { incidentId: incident.id, type: "incident.resolved" },
    });
    expect(events).toBe(1);
  });

  it("opens one incident when several open one for the same monitor at once", async ({ api, owner, call }) => {
    const monitor = await api.request("POST", "/api/v1/monitors", {
      auth: owner.token,
      body: { name: "Raced", type: "http", url: "https://example.com" },
    });
    const body = { monitor_id: monitor.body.id, title: "Raced" };
    const results = await Promise.all(Array.from({ length: 5 }, () => call("POST", "", body)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(await api.deps.db.incident.count({ where: { monitorId: monitor.body.id } })).toBe(1);
  });
});
