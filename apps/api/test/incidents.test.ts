import { newId } from "@upfleet/ids";
import { processMonitorEvents } from "@upfleet/incidents";
import { describe, expect } from "vitest";
import type { TestUser } from "./support/accounts.ts";
import { apiTest } from "./support/fixtures.ts";
import type { TestResponse } from "./support/test-api.ts";

const BASE = "/api/v1/incidents";
const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

/**
 * `call` sends to the incidents routes as `user` (the owner by default), `newMonitor` creates an http
 * monitor of the owner's and `eventTypes` lists an incident's events.
 */
const it = apiTest({ RATE_LIMIT_PER_MINUTE: "100000", RATE_LIMIT_PER_HOUR: "100000" }).extend<{
  call: (method: string, path: string, body?: unknown, user?: TestUser) => Promise<TestResponse>;
  newMonitor: (name?: string) => Promise<string>;
  eventTypes: (incidentId: string) => Promise<string[]>;
}>({
  call: async ({ api, owner }, use) =>
    use((method, path, body, user = owner) =>
      api.request(method, `${BASE}${path}`, { auth: user.token, ...(body === undefined ? {} : { body }) }),
    ),
  newMonitor: async ({ api, owner }, use) =>
    use(async (name = "Checkout") => {
      const res = await api.request("POST", "/api/v1/monitors", {
        auth: owner.token,
        body: { name, type: "http", url: "https://example.com" },
      });
      expect(res.status, res.text).toBe(201);
      return res.body.id;
    }),
  eventTypes: async ({ api }, use) =>
    use(async (incidentId) =>
      (await api.deps.db.incidentEvent.findMany({ where: { incidentId }, orderBy: { id: "asc" } })).map((e) => e.type),
    ),
});
describe("incidents", () => {
  it("opens one by hand and reads it back, alone and in the list", async ({ viewer, call, eventTypes }) => {
    const res = await call("POST", "", { title: "Payments failing", message: "Card payments time out" });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^inc_[0-9a-z]{26}$/),
      monitor_id: null,
      title: "Payments failing",
      status: "investigating",
      cause: null,
      started_at: ISO,
      acknowledged_at: null,
      acknowledged_by: null,
      resolved_at: null,
      updates: [
        {
          id: expect.stringMatching(/^upd_[0-9a-z]{26}$/),
          status: "investigating",
          message: "Card payments time out",
          created_at: ISO,
        },
      ],
    });
    expect((await call("GET", `/${res.body.id}`, undefined, viewer)).body).toEqual(res.body);
    const list = await call("GET", "", undefined, viewer);
    expect(list.status).toBe(200);
    expect(list.body.data).toContainEqual(res.body);
    expect(await eventTypes(res.body.id)).toEqual(["incident.created"]);
  });

  it("opens one for a monitor, with the given status, and no second while it is open", async ({ call, newMonitor }) => {
    const monitorId = await newMonitor();
    const first = await call("POST", "", { monitor_id: monitorId, title: "Slow", status: "identified" });
    expect(first.status, first.text).toBe(201);
    expect(first.body).toMatchObject({ monitor_id: monitorId, status: "identified" });
    expect(first.body.updates).toEqual([expect.objectContaining({ status: "identified", message: null })]);
    const second = await call("POST", "", { monitor_id: monitorId, title: "Again" });
    expect(second.status, second.text).toBe(409);
    expect(second.body.error).toBe("conflict");
    expect((await call("POST", `/${first.body.id}/resolve`)).status).toBe(200);
    expect((await call("POST", "", { monitor_id: monitorId, title: "Again" })).status).toBe(201);
  });

  it("patches: a title alone adds no entry; a status or a message does; status resolved resolves", async ({
    owner,
    member,
    call,
    eventTypes,
  }) => {
    const { body: incident } = await call("POST", "", { title: "Errors" });
    const path = `/${incident.id}`;
    const renamed = await call("PATCH", path, { title: "Errors on /login" });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body).toMatchObject({ title: "Errors on /login", status: "investigating" });
    expect(renamed.body.updates).toHaveLength(1);
    const identified = await call("PATCH", path, { status: "identified", message: "A bad deploy" }, member);
    expect(identified.body.status).toBe("identified");
    const noted = await call("PATCH", path, { message: "Rolling back" });
    const unchanged = await call("PATCH", path, {});
    expect(unchanged.body).toEqual(noted.body);
    const resolved = await call("PATCH", path, { status: "resolved" });
    expect(resolved.body).toMatchObject({
      status: "resolved",
      resolved_at: ISO,
      acknowledged_by: owner.id,
      acknowledged_at: ISO,
    });
    expect(resolved.body.updates.map((u: { status: string; message: string | null }) => [u.status, u.message])).toEqual(
      [
        ["investigating", null],
        ["identified", "A bad deploy"],
        ["identified", "Rolling back"],
        ["resolved", null],
      ],
    );
    expect(await eventTypes(incident.id)).toEqual([
      "incident.created",
      "incident.updated",
      "incident.updated",
      "incident.updated",
      "incident.resolved",
    ]);
  });

  it("posts timeline entries, oldest first, and returns the incident with the entry last", async ({ call }) => {
    const { body: incident } = await call("POST", "", { title: "Queue backlog" });
    const first = await call("POST", `/${incident.id}/updates`, { message: "Scaling workers" });
    expect(first.status, first.text).toBe(201);
    expect(first.body.status).toBe("investigating");
    const second = await call("POST", `/${incident.id}/updates`, { status: "monitoring", message: "Draining" });
    expect(second.body.status).toBe("monitoring");
    expect(second.body.updates.map((u: { message: string | null }) => u.message)).toEqual([
      null,
      "Scaling workers",
      "Draining",
    ]);
    expect(second.body.updates.at(-1)).toMatchObject({ status: "monitoring", created_at: ISO });
    const resolving = await call("POST", `/${incident.id}/updates`, { status: "resolved", message: "Done" });
    expect(resolving.body).toMatchObject({ status: "resolved", resolved_at: ISO });
  });

  it("acknowledges with who and when, and keeps the first acknowledgement", async ({ member, call, eventTypes }) => {
    const { body: incident } = await call("POST", "", { title: "Disk full" });
    const first = await call("POST", `/${incident.id}/acknowledge`, undefined, member);
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({ acknowledged_by: member.id, acknowledged_at: ISO, status: "investigating" });
    const again = await call("POST", `/${incident.id}/acknowledge`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const resolved = await call("POST", `/${incident.id}/resolve`, { message: "Cleaned up" });
    expect(resolved.body).toMatchObject({ acknowledged_by: member.id, acknowledged_at: first.body.acknowledged_at });
    expect(await eventTypes(incident.id)).toEqual(["incident.created", "incident.acknowledged", "incident.resolved"]);
  });

  it("resolves with a message; the resolver acknowledges it if nobody had", async ({ member, call }) => {
    const { body: incident } = await call("POST", "", { title: "DNS" });
    const res = await call("POST", `/${incident.id}/resolve`, { message: "TTL expired" }, member);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: "resolved", resolved_at: ISO, acknowledged_by: member.id });
    expect(res.body.updates.at(-1)).toMatchObject({ status: "resolved", message: "TTL expired" });
  });

  it("lists newest first, a page at a time, filtered by monitor, open or resolved, and status", async ({
    call,
    newMonitor,
  }) => {
    const monitorId = await newMonitor("Filtered");
    const made: string[] = [];
    for (const status of ["investigating", "identified", "monitoring"] as const) {
      made.push((await call("POST", "", { title: `t ${status}`, status })).body.id);
    }
    const forMonitor = (await call("POST", "", { monitor_id: monitorId, title: "m" })).body.id;
    await call("POST", `/${made[0]}/resolve`);
    const ids = async (query: string) => (await call("GET", `?${query}`)).body.data.map((i: { id: string }) => i.id);

    expect(await ids(`monitor_id=${monitorId}`)).toEqual([forMonitor]);
    expect(await ids("status=monitoring")).toContain(made[2]);
    expect(await ids("status=monitoring")).not.toContain(made[1]);
    const active = await ids("active=true&limit=200");
    expect(active).toEqual(expect.arrayContaining([forMonitor, made[1], made[2]]));
    expect(active).not.toContain(made[0]);
    expect(await ids("active=false&limit=200")).toContain(made[0]);
    expect(await ids(`monitor_id=${newId("monitor")}`)).toEqual([]);

    const all = await ids("limit=200");
    expect(all).toEqual([...all].sort().reverse());
    const page1 = await call("GET", "?limit=2");
    expect(page1.body.data.map((i: { id: string }) => i.id)).toEqual(all.slice(0, 2));
    const page2 = await call("GET", `?limit=2&cursor=${page1.body.next_cursor}`);
    expect(page2.body.data.map((i: { id: string }) => i.id)).toEqual(all.slice(2, 4));
  });

  it("shows the incident a monitor's outage opened, and refuses a second one for it", async ({
    api,
    owner,
    viewer,
    call,
    newMonitor,
  }) => {
    const monitorId = await newMonitor("Shop");
    const tick = new Date(Date.now() - 60_000);
    await api.deps.db.monitorEvent.create({
      data: {
        id: newId("event"),
        organizationId: owner.organizationId,
        monitorId,
        type: "monitor.down",
        fromStatus: "up",
        toStatus: "down",
        tick,
        cause: { error: "timeout", http_status: null, region: "local", failing_regions: ["local"] },
      },
    });
    await processMonitorEvents(api.deps.db);
    const list = await call("GET", `?monitor_id=${monitorId}&active=true`, undefined, viewer);
    expect(list.body.data).toEqual([
      expect.objectContaining({
        monitor_id: monitorId,
        title: "Shop is down",
        status: "investigating",
        started_at: tick.toISOString(),
        cause: expect.objectContaining({ error: "timeout" }),
      }),
    ]);
    expect((await call("POST", "", { monitor_id: monitorId, title: "Dup" })).status).toBe(409);
  });
});
