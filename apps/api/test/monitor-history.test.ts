import { ResultIngest } from "@upfleet/ingest";
import { createLogger } from "@upfleet/logger";
import { CheckStream, checksStreamKey, FleetRegistry, type ResultJob } from "@upfleet/queue";
import { Redis } from "ioredis";
import { Registry } from "prom-client";
import { describe, expect } from "vitest";
import { signupOwner, type TestUser } from "./support/accounts.ts";
import { apiTest } from "./support/fixtures.ts";
import type { TestApi, TestResponse } from "./support/test-api.ts";

const HOUR = 3_600_000;

function result(
  at: { monitorId: string; organizationId: string },
  tick: number,
  region: string,
  status: "up" | "down",
  responseMs: number,
): ResultJob {
  return {
    ...at,
    region,
    tick,
    intervalMs: 60_000,
    workerId: "wrk_test",
    startedAt: tick,
    finishedAt: tick + responseMs,
    result: {
      status,
      responseMs: status === "up" ? responseMs : null,
      httpStatus: status === "up" ? 200 : 500,
      error: status === "up" ? null : "status",
      message: null,
      timings: { total: responseMs, firstByte: responseMs - 1 },
      details: { bodyBytes: 512 },
    },
  };
}

/** The file's API, its fleet-operating owner, the monitor with seeded history, and `get` as the owner. */
interface History {
  api: TestApi;
  owner: TestUser;
  monitorId: string;
  /** When the history was seeded: its checks' ticks are counted back from it. */
  seededAt: number;
  get: (path: string, user?: TestUser) => Promise<TestResponse>;
}

// The owner operates the fleet too, so GET /workers and /regions answer it.
const it = apiTest({
  REGIONS: "eu-west,us-east",
  OPEN_SIGNUP: "true",
  FLEET_ADMIN_EMAILS: "fleet-owner@example.com",
}).extend<{ h: History }>({
  h: [
    async ({ api, sql }, use) => {
      const owner = await signupOwner(api, "owner", "fleet-owner@example.com");
      const created = await api.request("POST", "/api/v1/monitors", {
        auth: owner.token,
        body: { type: "http", name: "Site", url: "https://example.com", interval_seconds: 60 },
      });
      const at = { monitorId: created.body.id as string, organizationId: owner.organizationId };
      const ingest = new ResultIngest({
        db: api.deps.db,
        sql,
        logger: createLogger("test", "silent"),
        metrics: new Registry(),
      });
      const seededAt = Date.now();
      // Three hours of history: 10 checks an hour in eu-west, one failing, plus one us-east check 2 days ago.
      const jobs: ResultJob[] = [];
      for (let h = 0; h < 3; h++) {
        for (let i = 0; i < 10; i++) {
          const status = h === 1 && i === 0 ? "down" : "up";
          jobs.push(result(at, seededAt - h * HOUR - (i + 1) * 60_000, "eu-west", status, 100 + i * 10));
        }
      }
      jobs.push(result(at, seededAt - 48 * HOUR, "us-east", "up", 900));
      await Promise.all(jobs.map((data) => ingest.handle(data)));
      await ingest.close();
      await use({
        api,
        owner,
        monitorId: at.monitorId,
        seededAt,
        get: (path, user = owner) => api.request("GET", path, { auth: user.token }),
      });
    },
    { scope: "file" },
  ],
});

describe("check history", () => {
  it("lists checks newest first with filters and a cursor", async ({ h }) => {
    const { monitorId, get } = h;
    const all = await get(`/api/v1/monitors/${monitorId}/checks?limit=200`);
    expect(all.status).toBe(200);
    expect(all.body.data).toHaveLength(31);
    expect(all.body.data[0]).toMatchObject({
      region: expect.any(String),
      status: expect.any(String),
      details: expect.any(Object),
    });
    // A success stores no details; a failure keeps them, with its timings and worker.
    expect(all.body.data[0]).toMatchObject({ status: "up", details: {} });
    const down = await get(`/api/v1/monitors/${monitorId}/checks?status=down`);
    expect(down.body.data).toHaveLength(1);
    expect(down.body.data[0]).toMatchObject({ http_status: 500, error: "status", response_ms: null });
    // API.md: every key in details is snake_case, whatever the worker named it.
    expect(down.body.data[0].details).toEqual({
      body_bytes: 512,
      timings: { total: expect.any(Number), first_byte: expect.any(Number) },
      worker: "wrk_test",
    });
    const us = await get(`/api/v1/monitors/${monitorId}/checks?region=us-east`);
    expect(us.body.data.map((c: { region: string }) => c.region)).toEqual(["us-east"]);
    const since = new Date(Date.now() - HOUR).toISOString();
    const recent = await get(`/api/v1/monitors/${monitorId}/checks?since=${since}`);
    expect(recent.body.data).toHaveLength(10);
    const page1 = await get(`/api/v1/monitors/${monitorId}/checks?limit=20`);
    const page2 = await get(`/api/v1/monitors/${monitorId}/checks?limit=20&cursor=${page1.body.next_cursor}`);
    expect(page2.body.data).toHaveLength(11);
    expect(page2.body.next_cursor).toBeNull();
    const ids = new Set([...page1.body.data, ...page2.body.data].map((c: { id: string }) => c.id));
    expect(ids.size).toBe(31);
  });

  it("rejects bad filters", async ({ h }) => {
    const { monitorId, get } = h;
    const res = await get(`/api/v1/monitors/${monitorId}/checks?status=maybe&since=yesterday&limit=0`);
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { path: string }) => d.path).sort()).toEqual(["limit", "since", "status"]);
  });
});

describe("uptime", () => {
  it("reports 24h from hourly rollups, with p95 and a bucket per hour", async ({ h }) => {
    const { monitorId, get } = h;
    const res = await get(`/api/v1/monitors/${monitorId}/uptime?period=24h`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ period: "24h", total_checks: 30, failed_checks: 1, uptime_percent: 96.67 });
    expect(res.body.history).toHaveLength(24);
    expect(res.body.history.reduce((n: number, b: { checks: number }) => n + b.checks, 0)).toBe(30);
    expect(res.body.p95_response_ms).toBeGreaterThan(150);
    expect(res.body.p95_response_ms).toBeLessThanOrEqual(200);
    expect(res.body.avg_response_ms).toBeGreaterThan(100);
  });

  it("reports 7d hourly and 30d/90d daily, counting older checks", async ({ h }) => {
    const { monitorId, get } = h;
    const week = await get(`/api/v1/monitors/${monitorId}/uptime?period=7d`);
    expect(week.body.history).toHaveLength(168);
    expect(week.body.total_checks).toBe(31);
    const month = await get(`/api/v1/monitors/${monitorId}/uptime?period=30d`);
    expect(month.body.history).toHaveLength(30);
    expect(month.body.total_checks).toBe(31);
    expect((await get(`/api/v1/monitors/${monitorId}/uptime?period=90d`)).body.history).toHaveLength(90);
    expect((await get(`/api/v1/monitors/${monitorId}/uptime?period=1y`)).status).toBe(400);
  });

  it("counts incidents from the incidents table, manual ones included", async ({ h }) => {
    const { api, owner, monitorId, get } = h;
    // The seeded history holds one monitor.down event; two incidents are recorded by hand.
    for (let i = 0; i < 2; i++) {
      const opened = await api.request("POST", "/api/v1/incidents", {
        auth: owner.token,
        body: { monitor_id: monitorId, title: `outage ${i}` },
      });
      expect(opened.status).toBe(201);
      await api.request("POST", `/api/v1/incidents/${opened.body.id}/resolve`, { auth: owner.token, body: {} });
    }
    expect((await get(`/api/v1/monitors/${monitorId}/uptime?period=24h`)).body.incidents).toBe(2);
  });

  it("shows the 24h figures on the monitor itself", async ({ h }) => {
    const { monitorId, get } = h;
    const monitor = await get(`/api/v1/monitors/${monitorId}`);
    expect(monitor.body).toMatchObject({ uptime_24h: 96.67, status: "up" });
    expect(monitor.body.avg_response_ms).toBeGreaterThan(100);
  });

  it("leaves checks made in a maintenance window out of the uptime and uptime_24h, until the window is deleted", async ({
    h,
  }) => {
    const { api, owner, monitorId, seededAt, get } = h;
    // A daily window whose occurrence today covers the one failing check (1 h 1 min before seeding).
    const failedAt = seededAt - HOUR - 60_000;
    const window = await api.deps.db.maintenanceWindow.create({
      data: {
        id: "mnt_uptime",
        organizationId: owner.organizationId,
        name: "nightly deploy",
        monitorIds: [monitorId],
        startsAt: new Date(failedAt - 2 * 24 * HOUR - 30_000),
        endsAt: new Date(failedAt - 2 * 24 * HOUR + 30_000),
        repeat: "daily",
      },
    });
    const day = await get(`/api/v1/monitors/${monitorId}/uptime?period=24h`);
    expect(day.body).toMatchObject({ total_checks: 29, failed_checks: 0, uptime_percent: 100 });
    expect(day.body.history.reduce((n: number, b: { checks: number }) => n + b.checks, 0)).toBe(29);
    const month = await get(`/api/v1/monitors/${monitorId}/uptime?period=30d`);
    expect(month.body).toMatchObject({ total_checks: 30, failed_checks: 0, uptime_percent: 100 });
    expect((await get(`/api/v1/monitors/${monitorId}`)).body.uptime_24h).toBe(100);
    const listed = await get("/api/v1/monitors");
    expect(listed.body.data.find((m: { id: string }) => m.id === monitorId).uptime_24h).toBe(100);

    await api.deps.db.maintenanceWindow.delete({ where: { id: window.id } });
    const again = await get(`/api/v1/monitors/${monitorId}/uptime?period=24h`);
    expect(again.body).toMatchObject({ total_checks: 30, failed_checks: 1, uptime_percent: 96.67 });
    expect((await get(`/api/v1/monitors/${monitorId}`)).body.uptime_24h).toBe(96.67);
  });

  it("is not found across tenants", async ({ h }) => {
    const { api, monitorId, get } = h;
    const stranger = await signupOwner(api, "stranger");
    expect((await get(`/api/v1/monitors/${monitorId}/uptime`, stranger)).status).toBe(404);
    expect((await get(`/api/v1/monitors/${monitorId}/checks`, stranger)).status).toBe(404);
  });
});

describe("fleet", () => {
  it("lists live workers and each region's queue", async ({ h }) => {
    const { api, get } = h;
    const redis = new Redis(api.redis.url);
    const registry = new FleetRegistry(redis, api.redis.prefix);
    const now = new Date().toISOString();
    await registry.report({
      id: "wrk_a",
      region: "eu-west",
      hostname: "host-a",
      version: "0.1.0",
      concurrency: 50,
      in_flight: 3,
      started_at: now,
      last_seen_at: now,
      schedule_lag_ms: { p50: 12, p99: 340 },
      checks_per_minute: 42,
      icmp: false,
      icmp_problem: "switched off by configuration (PING_CHECKS=false)",
    });
    // A check waiting in us-east's stream, which has no worker.
    const tick = Date.now();
    await new CheckStream(redis, api.redis.prefix).add("us-east", [
      {
        monitorId: "mon_w",
        organizationId: "org_w",
        region: "us-east",
        tick,
        intervalMs: 60_000,
        spec: { type: "http" },
      } as never,
    ]);
    try {
      const workers = await get("/api/v1/workers");
      expect(workers.body).toEqual([
        expect.objectContaining({
          id: "wrk_a",
          region: "eu-west",
          in_flight: 3,
          icmp: false,
          icmp_problem: "switched off by configuration (PING_CHECKS=false)",
        }),
      ]);
      const regions = await get("/api/v1/regions");
      expect(regions.status).toBe(200);
      const byName = Object.fromEntries(regions.body.map((r: { name: string }) => [r.name, r]));
      expect(byName["eu-west"]).toMatchObject({
        workers: 1,
        queue_depth: 0,
        oldest_job_age_ms: null,
        schedule_lag_p50_ms: 12,
        schedule_lag_p99_ms: 340,
        checks_per_minute: 42,
        icmp_workers: 0,
        ping_dispatching: false,
      });
      expect(byName["us-east"]).toMatchObject({ workers: 0, queue_depth: 1, schedule_lag_p99_ms: null });
      expect(byName["us-east"].oldest_job_age_ms).toBeGreaterThanOrEqual(0);
    } finally {
      await redis.del(checksStreamKey(api.redis.prefix, "us-east"));
      redis.disconnect();
    }
  });
});
