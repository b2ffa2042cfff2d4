import { newId } from "@upfleet/ids";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, signupOwner, type TestUser } from "./support/accounts.ts";
import { detailPaths, expectError, tableCounts } from "./support/security.ts";
import { startTestApi, type TestApi, type TestResponse } from "./support/test-api.ts";

let api: TestApi;
let owner: TestUser;
let viewer: TestUser;
let other: TestUser;
let monitorId: string;
let open: { id: string };
let resolved: { id: string };

const BASE = "/api/v1/incidents";
const call = (method: string, path: string, body?: unknown, user = owner) =>
  api.request(method, `${BASE}${path}`, { auth: user.token, ...(body === undefined ? {} : { body }) });

beforeAll(async () => {
  api = await startTestApi({ OPEN_SIGNUP: "true", RATE_LIMIT_PER_MINUTE: "100000", RATE_LIMIT_PER_HOUR: "100000" });
  owner = await signupOwner(api, "owner");
  [viewer, other] = await Promise.all([addUser(api, owner, "viewer"), signupOwner(api, "other")]);
  const monitor = await api.request("POST", "/api/v1/monitors", {
    auth: owner.token,
    body: { name: "Site", type: "http", url: "https://example.com" },
  });
  monitorId = monitor.body.id;
  open = (await call("POST", "", { monitor_id: monitorId, title: "Open", message: "first" })).body;
  resolved = (await call("POST", "", { title: "Done" })).body;
  expect((await call("POST", `/${resolved.id}/resolve`)).status).toBe(200);
});
afterAll(() => api?.close());

/** Sends each request and checks its error, then that no table and neither incident changed. */
async function refused(status: number, code: string, requests: (() => Promise<TestResponse>)[]) {
  const before = await tableCounts(api);
  const incidents = await Promise.all([open, resolved].map((i) => call("GET", `/${i.id}`)));
  const responses: TestResponse[] = [];
  for (const send of requests) {
    const res = await send();
    expectError(res, status, code);
    responses.push(res);
  }
  expect(await tableCounts(api)).toEqual(before);
  const after = await Promise.all([open, resolved].map((i) => call("GET", `/${i.id}`)));
  expect(after.map((r) => r.body)).toEqual(incidents.map((r) => r.body));
  return responses;
}

describe("incident errors", () => {
  it("400 for bodies that fail validation, with every problem listed", async () => {
    const [many] = await refused(400, "validation_error", [
      () => call("POST", "", { title: "", message: "x".repeat(10_001), status: "resolved", severity: "high" }),
      () => call("POST", "", { title: "x".repeat(201) }),
      () => call("POST", "", { title: "   " }),
      () => call("POST", "", { message: "no title" }),
      () => call("POST", "", { title: "t", monitor_id: 42 }),
      () => call("PATCH", `/${open.id}`, { status: "fixed", title: "", id: "inc_x" }),
      () => call("PATCH", `/${open.id}`, { message: "" }),
      () => call("PATCH", `/${open.id}`, { acknowledged_by: "me" }),
      () => call("POST", `/${open.id}/updates`, { status: "monitoring" }),
      () => call("POST", `/${open.id}/updates`, { message: "x".repeat(10_001) }),
      () => call("POST", `/${open.id}/acknowledge`, { by: "me" }),
      () => call("POST", `/${open.id}/resolve`, { message: "ok", status: "resolved" }),
    ]);
    expect(detailPaths(many!)).toEqual(["message", "severity", "status", "title"]);
  });

  it("400 for list queries that fail validation", async () => {
    await refused(400, "validation_error", [
      () => call("GET", "?status=down"),
      () => call("GET", "?active=yes"),
      () => call("GET", "?limit=0"),
      () => call("GET", "?limit=201"),
      () => call("GET", "?cursor=not-ours"),
      () => call("GET", "?severity=high"),
    ]);
  });

  it("404 for a monitor that is not the caller's (another tenant's, unknown, deleted)", async () => {
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

  it("404 for incidents that are not the caller's, on every route", async () => {
    const missing = newId("incident");
    await refused(404, "not_found", [
      () => call("GET", `/${missing}`),
      () => call("GET", "/inc_short"),
      () => call("GET", `/${open.id}`, undefined, other),
      () => call("PATCH", `/${open.id}`, { title: "Taken" }, other),
      () => call("POST", `/${open.id}/updates`, { message: "Taken" }, other),
      () => call("POST", `/${open.id}/acknowledge`, undefined, other),
      () => call("POST", `/${open.id}/resolve`, {}, other),
      () => call("PATCH", `/${missing}`, { title: "x" }),
    ]);
    const theirs = await call("GET", `?monitor_id=${monitorId}`, undefined, other);
    expect(theirs.body.data).toEqual([]);
  });

  it("403 for a viewer on every write, while reads work", async () => {
    expect((await call("GET", `/${open.id}`, undefined, viewer)).status).toBe(200);
    await refused(403, "forbidden", [
      () => call("POST", "", { title: "Viewer's" }, viewer),
      () => call("PATCH", `/${open.id}`, { title: "Viewer's" }, viewer),
      () => call("POST", `/${open.id}/updates`, { message: "Viewer's" }, viewer),
      () => call("POST", `/${open.id}/acknowledge`, undefined, viewer),
      () => call("POST", `/${open.id}/resolve`, {}, viewer),
    ]);
  });

  it("409 for a second open incident on a monitor, and for every transition of a resolved one", async () => {
    const responses = await refused(409, "conflict", [
      () => call("POST", "", { monitor_id: monitorId, title: "Second" }),
      () => call("POST", `/${resolved.id}/resolve`),
      () => call("POST", `/${resolved.id}/resolve`, { message: "again" }),
      () => call("PATCH", `/${resolved.id}`, { title: "Renamed" }),
      () => call("PATCH", `/${resolved.id}`, { status: "investigating" }),
      () => call("POST", `/${resolved.id}/updates`, { message: "Reopen?" }),
      () => call("POST", `/${resolved.id}/acknowledge`),
    ]);
    expect(responses[1]!.body.message).toMatch(/resolved/);
  });

  it("resolves exactly once when two resolutions race", async () => {
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

  it("opens one incident when several open one for the same monitor at once", async () => {
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
