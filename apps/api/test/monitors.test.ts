import { ScheduleStore } from "@upfleet/queue";
import { Redis } from "ioredis";
import { describe, expect } from "vitest";
import { addUser, signupOwner, type TestUser } from "./support/accounts.ts";
import { apiTest } from "./support/fixtures.ts";
import type { TestApi, TestResponse } from "./support/test-api.ts";

const site = { type: "http", name: "Site", url: "https://example.com", interval_seconds: 30 };

/**
 * `client`, a Redis connection of the test's own, and `schedule`, the dispatcher's schedule read through
 * it; `create` posts a monitor as the owner (or `user`) and `monitorCount` counts every stored monitor.
 */
const it = apiTest({ REGIONS: "eu-west,us-east", OPEN_SIGNUP: "true", MIN_INTERVAL_SECONDS: "20" }).extend<{
  client: Redis;
  schedule: ScheduleStore;
  create: (body: unknown, user?: TestUser) => Promise<TestResponse>;
  monitorCount: () => Promise<number>;
  /** The above with the file's API and owner, for a test to take in one name. */
  m: { api: TestApi; owner: TestUser; client: Redis; schedule: ScheduleStore } & {
    create: (body: unknown, user?: TestUser) => Promise<TestResponse>;
    monitorCount: () => Promise<number>;
  };
}>({
  client: [
    async ({ redis }, use) => {
      const client = new Redis(redis.url);
      await use(client);
      client.disconnect();
    },
    { scope: "file" },
  ],
  schedule: [async ({ client, redis }, use) => use(new ScheduleStore(client, redis.prefix)), { scope: "file" }],
  create: async ({ api, owner }, use) =>
    use((body, user = owner) => api.request("POST", "/api/v1/monitors", { auth: user.token, body })),
  monitorCount: async ({ api }, use) => use(() => api.deps.db.monitor.count()),
  m: async ({ api, owner, client, schedule, create, monitorCount }, use) =>
    use({ api, owner, client, schedule, create, monitorCount }),
});

describe("monitors", () => {
  it("creates with defaults, schedules the next tick and reads it back", async ({ m }) => {
    const { api, owner, schedule, create } = m;
    const res = await create({ ...site, tags: ["prod"] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      type: "http",
      url: "https://example.com",
      http_method: "GET",
      regions: ["eu-west", "us-east"],
      status: "pending",
      paused: false,
      tags: ["prod"],
      uptime_24h: null,
    });
    const due = await schedule.nextDue(res.body.id);
    expect(due).toBeGreaterThan(Date.now());
    expect(due! - Date.now()).toBeLessThanOrEqual(30_000);
    const got = await api.request("GET", `/api/v1/monitors/${res.body.id}`, { auth: owner.token });
    expect(got.body).toEqual(res.body);
  });

  it("rejects bad input with every problem listed, storing and scheduling nothing", async ({ m }) => {
    const { client, schedule, create, monitorCount } = m;
    const before = await monitorCount();
    const scheduledBefore = await client.zcard(schedule.dueKey);
    for (const body of [
      { ...site, interval_seconds: 15 }, // below this deployment's MIN_INTERVAL_SECONDS
      { ...site, regions: ["mars"] },
      { ...site, url: "file:///etc/passwd" },
      { ...site, tcp_port: 22 },
      { ...site, http_headers: { "X-Token": 42 } },
      { ...site, http_keyword: "x".repeat(1_000_000) },
      { type: "tcp", name: "db", host: "db.internal", tcp_port: 0 },
    ]) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.error).toBe("validation_error");
      expect(res.body.details.length).toBeGreaterThan(0);
    }
    expect(await monitorCount()).toBe(before);
    expect(await client.zcard(schedule.dueKey)).toBe(scheduledBefore);
  });

  it("names the field of an api monitor step over its limits", async ({ m }) => {
    const { create } = m;
    const extract = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`v${i}`, "data.id"]));
    const res = await create({
      type: "api",
      name: "flow",
      api_check_steps: [{ name: "login", url: "https://example.com/login", extract }],
    });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ path: "api_check_steps.0.extract", message: "at most 20 extracts" }]);
  });

  it("refuses, naming the field, dns and ssl settings a worker could not run", async ({ m }) => {
    const { api, owner, create } = m;
    const resolver = await create({
      type: "dns",
      name: "dns",
      host: "example.com",
      dns_resolver: `[${"0:".repeat(40)}1]`,
    });
    expect(resolver.status).toBe(400);
    expect(resolver.body.details).toEqual([{ path: "dns_resolver", message: "must be at most 64 characters" }]);
    const port0 = await create({ type: "ssl", name: "cert", url: "https://example.com:0/" });
    expect(port0.status).toBe(400);
    expect(port0.body.details).toEqual([{ path: "url", message: "must not have port 0" }]);
    const { body: cert } = await create({ type: "ssl", name: "cert", url: "https://example.com/" });
    const patched = await api.request("PATCH", `/api/v1/monitors/${cert.id}`, {
      auth: owner.token,
      body: { url: "https://example.com:0/" },
    });
    expect(patched.status).toBe(400);
    expect(patched.body.details.map((d: { path: string }) => d.path)).toEqual(["url"]);
  });

  it("patches: the type cannot change, foreign fields are refused, an interval change reschedules", async ({ m }) => {
    const { api, owner, client, schedule, create } = m;
    const { body: monitor } = await create(site);
    const path = `/api/v1/monitors/${monitor.id}`;
    const changeType = await api.request("PATCH", path, { auth: owner.token, body: { type: "tcp" } });
    expect(changeType.status).toBe(400);
    expect(changeType.body.details[0].path).toBe("type");
    const foreign = await api.request("PATCH", path, { auth: owner.token, body: { tcp_port: 80 } });
    expect(foreign.status).toBe(400);
    const tooShort = await api.request("PATCH", path, { auth: owner.token, body: { interval_seconds: 5 } });
    expect(tooShort.status).toBe(400);
    expect((await api.request("GET", path, { auth: owner.token })).body.interval_seconds).toBe(30);

    const patched = await api.request("PATCH", path, {
      auth: owner.token,
      body: { interval_seconds: 3600, url: "https://example.org/health", http_keyword: "ok" },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      interval_seconds: 3600,
      url: "https://example.org/health",
      http_keyword: "ok",
    });
    const entry = JSON.parse((await client.hget(schedule.entriesKey, monitor.id))!);
    expect(entry.intervalMs).toBe(3_600_000);
    expect(entry.spec).toMatchObject({ url: "https://example.org/health", keyword: "ok" });
  });

  it("pause unschedules, resume reschedules, delete hides and unschedules", async ({ m }) => {
    const { api, owner, client, schedule, create } = m;
    const { body: monitor } = await create(site);
    const path = `/api/v1/monitors/${monitor.id}`;
    const paused = await api.request("POST", `${path}/pause`, { auth: owner.token });
    expect(paused.body.status).toBe("paused");
    expect(await schedule.nextDue(monitor.id)).toBeNull();
    const resumed = await api.request("POST", `${path}/resume`, { auth: owner.token });
    expect(resumed.body.paused).toBe(false);
    expect(await schedule.nextDue(monitor.id)).not.toBeNull();
    expect((await api.request("DELETE", path, { auth: owner.token })).status).toBe(204);
    expect(await schedule.nextDue(monitor.id)).toBeNull();
    expect(await client.hexists(schedule.entriesKey, monitor.id)).toBe(0);
    expect((await api.request("GET", path, { auth: owner.token })).status).toBe(404);
    const list = await api.request("GET", "/api/v1/monitors?limit=200", { auth: owner.token });
    expect(list.body.data.map((m: { id: string }) => m.id)).not.toContain(monitor.id);
    // History is kept: the row is still there, only marked deleted.
    expect(await api.deps.db.monitor.findUnique({ where: { id: monitor.id } })).not.toBeNull();
  });

  it("stores every type but schedules only those with an executor", async ({ m }) => {
    const { schedule, create } = m;
    const res = await create({ type: "heartbeat", name: "nightly", heartbeat_schedule: "0 3 * * *" });
    expect(res.status).toBe(201);
    expect(res.body.heartbeat_url).toMatch(/\/api\/heartbeat\/[A-Za-z0-9_-]{32}$/);
    expect(res.body.interval_seconds).toBeNull();
    expect(await schedule.nextDue(res.body.id)).toBeNull();
  });

  it("filters by type, status and tag, pages with a cursor", async ({ m }) => {
    const { api, owner, create } = m;
    const tag = `t${Date.now()}`;
    for (let i = 0; i < 3; i++) await create({ ...site, name: `s${i}`, tags: [tag] });
    await create({ type: "tcp", name: "db", host: "db.example.com", tcp_port: 5432, tags: [tag] });
    const http = await api.request("GET", `/api/v1/monitors?tag=${tag}&type=http&limit=2`, { auth: owner.token });
    expect(http.body.data.map((m: { name: string }) => m.name)).toEqual(["s2", "s1"]);
    const next = await api.request(
      "GET",
      `/api/v1/monitors?tag=${tag}&type=http&limit=2&cursor=${http.body.next_cursor}`,
      {
        auth: owner.token,
      },
    );
    expect(next.body.data.map((m: { name: string }) => m.name)).toEqual(["s0"]);
    expect(next.body.next_cursor).toBeNull();
    const pending = await api.request("GET", `/api/v1/monitors?tag=${tag}&status=pending`, { auth: owner.token });
    expect(pending.body.data).toHaveLength(4);
    const bad = await api.request("GET", "/api/v1/monitors?status=sleepy&type=smoke", { auth: owner.token });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { path: string }) => d.path).sort()).toEqual(["status", "type"]);
  });

  it("lets a viewer read but not write, and hides other tenants' monitors", async ({ m }) => {
    const { api, owner, create } = m;
    const { body: monitor } = await create(site);
    const viewer = await addUser(api, owner, "viewer");
    expect((await api.request("GET", `/api/v1/monitors/${monitor.id}`, { auth: viewer.token })).status).toBe(200);
    const write = await create(site, viewer);
    expect(write.status).toBe(403);
    const stranger = await signupOwner(api, "stranger");
    for (const [method, suffix] of [
      ["GET", ""],
      ["PATCH", ""],
      ["DELETE", ""],
      ["POST", "/pause"],
    ] as const) {
      const res = await api.request(method, `/api/v1/monitors/${monitor.id}${suffix}`, {
        auth: stranger.token,
        ...(method === "PATCH" ? { body: { name: "mine" } } : {}),
      });
      expect(res.status, `${method} ${suffix}`).toBe(404);
    }
    expect((await api.request("GET", `/api/v1/monitors/${monitor.id}`, { auth: owner.token })).body.name).toBe("Site");
  });
});
