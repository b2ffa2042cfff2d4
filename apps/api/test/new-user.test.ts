import { startReceiver } from "@upfleet/delivery/testing";
import { buildExport } from "@upfleet/exports";
import { MONITOR_DELETED_MESSAGE } from "@upfleet/incidents";
import { describe, expect } from "vitest";
import { createKey, type TestUser } from "./support/accounts.ts";
import { apiTest } from "./support/fixtures.ts";
import { expectInvalid } from "./support/security.ts";
import type { TestApi } from "./support/test-api.ts";

/** What a new user tripped over (issue #16 point 6), each as that user met it. */
const it = apiTest({
  OUTBOUND_ALLOW_CIDRS: "127.0.0.0/8",
  RATE_LIMIT_PER_MINUTE: "100000",
  RATE_LIMIT_PER_HOUR: "100000",
});

const send = (api: TestApi, user: TestUser, method: string, path: string, body?: unknown) =>
  api.request(method, `/api/v1${path}`, { auth: user.token, ...(body === undefined ? {} : { body }) });

async function created(api: TestApi, user: TestUser, path: string, body: unknown): Promise<{ id: string }> {
  const res = await send(api, user, "POST", path, body);
  expect(res.status, res.text).toBe(201);
  return res.body;
}

const http = { type: "http", name: "site", url: "https://example.com/" };

describe("public routes", () => {
  it("ignore query parameters they do not know: tracking tags and cache-busters", async ({ api, owner }) => {
    const monitor = await created(api, owner, "/monitors", http);
    const page = await created(api, owner, "/status-pages", {
      name: "Acme",
      slug: "acme-query",
      published: true,
      sections: [{ name: "All", monitor_ids: [monitor.id] }],
    });
    expect(page.id).toBeDefined();
    for (const path of [
      "/status/acme-query?utm_source=newsletter&fbclid=abc",
      "/api/v1/public/status-pages/acme-query?utm_source=x",
      `/status/acme-query/badge/${monitor.id}.svg?v=2`,
    ]) {
      const res = await api.request("GET", path);
      expect(res.status, `${path}: ${res.text}`).toBe(200);
    }
  });
});

describe("deleting a monitor", () => {
  it("resolves its open incidents saying why and drops it from rules and status pages", async ({ api, owner }) => {
    const [gone, kept] = [await created(api, owner, "/monitors", http), await created(api, owner, "/monitors", http)];
    const incident = await created(api, owner, "/incidents", { monitor_id: gone.id, title: "down" });
    const channel = await created(api, owner, "/notifications/channels", {
      name: "hook",
      type: "webhook",
      config: { url: "https://example.com/hook" },
    });
    const both = await created(api, owner, "/notifications/rules", {
      name: "both",
      monitor_ids: [gone.id, kept.id],
      channel_ids: [channel.id],
    });
    const only = await created(api, owner, "/notifications/rules", {
      name: "only the deleted one",
      monitor_ids: [gone.id],
      channel_ids: [channel.id],
    });
    const page = await created(api, owner, "/status-pages", {
      name: "Acme",
      slug: "acme-delete",
      sections: [{ name: "All", monitor_ids: [gone.id, kept.id] }],
    });

    expect((await send(api, owner, "DELETE", `/monitors/${gone.id}`)).status).toBe(204);

    const resolved = (await send(api, owner, "GET", `/incidents/${incident.id}`)).body;
    expect(resolved.status).toBe("resolved");
    expect(resolved.updates.at(-1)).toMatchObject({ status: "resolved", message: MONITOR_DELETED_MESSAGE });
    expect((await send(api, owner, "GET", `/notifications/rules/${both.id}`)).body.monitor_ids).toEqual([kept.id]);
    // Naming no monitor would mean every monitor: a rule left with none is gone with it.
    expect((await send(api, owner, "GET", `/notifications/rules/${only.id}`)).status).toBe(404);
    const sections = (await send(api, owner, "GET", `/status-pages/${page.id}`)).body.sections;
    expect(sections).toEqual([{ name: "All", monitor_ids: [kept.id] }]);
  });
});

describe("monitor input", () => {
  it("an ssl monitor given a url reads back the url's port", async ({ api, owner }) => {
    const monitor = await created(api, owner, "/monitors", {
      type: "ssl",
      name: "tls",
      url: "https://example.com:41443/",
    });
    expect(monitor).toMatchObject({ port: 41443 });
    // A row stored before the fix, with the default port, reads back the port its check uses.
    const row = await api.deps.db.monitor.findUniqueOrThrow({ where: { id: monitor.id } });
    const settings = { ...(row.settings as Record<string, unknown>), port: 443 };
    await api.deps.db.monitor.update({ where: { id: monitor.id }, data: { settings } });
    expect((await send(api, owner, "GET", `/monitors/${monitor.id}`)).body).toMatchObject({ port: 41443 });
    const plain = await created(api, owner, "/monitors", { type: "ssl", name: "tls", url: "https://example.com/" });
    expect(plain).toMatchObject({ port: 443 });
    const res = await send(api, owner, "POST", "/monitors", {
      type: "ssl",
      name: "tls",
      url: "https://example.com:41443/",
      port: 8443,
    });
    expectInvalid(res, ["port"]);
  });

  it("a heartbeat with both heartbeat_schedule and interval_seconds is a 400 naming both", async ({ api, owner }) => {
    const res = await send(api, owner, "POST", "/monitors", {
      type: "heartbeat",
      name: "job",
      interval_seconds: 3600,
      heartbeat_schedule: "0 3 * * *",
    });
    expectInvalid(res, ["heartbeat_schedule", "interval_seconds"]);
    // Switching a heartbeat from one to the other by PATCH is still one field.
    const job = await created(api, owner, "/monitors", { type: "heartbeat", name: "job", interval_seconds: 3600 });
    const cron = await send(api, owner, "PATCH", `/monitors/${job.id}`, { heartbeat_schedule: "0 3 * * *" });
    expect(cron.status, cron.text).toBe(200);
    expect(cron.body).toMatchObject({ interval_seconds: null, heartbeat_schedule: "0 3 * * *" });
    const back = await send(api, owner, "PATCH", `/monitors/${job.id}`, { interval_seconds: 600 });
    expect(back.status, back.text).toBe(200);
    expect(back.body).toMatchObject({ interval_seconds: 600, heartbeat_schedule: null });
  });

  it("an unknown type lists every other problem too", async ({ api, owner }) => {
    const res = await send(api, owner, "POST", "/monitors", { type: "nope", interval_seconds: 1 });
    expectInvalid(res, ["interval_seconds", "name", "type"]);
  });

  it("a short interval is one problem, not a timeout_ms nobody sent", async ({ api, owner }) => {
    expectInvalid(await send(api, owner, "POST", "/monitors", { ...http, interval_seconds: 5 }), ["interval_seconds"]);
  });

  it("writing status says it is read-only", async ({ api, owner }) => {
    const res = await send(api, owner, "POST", "/monitors", { ...http, status: "up" });
    expectInvalid(res, ["status"]);
    expect(res.body.details[0].message).toMatch(/read-only/);
    const monitor = await created(api, owner, "/monitors", http);
    const patch = await send(api, owner, "PATCH", `/monitors/${monitor.id}`, { status: "up" });
    expectInvalid(patch, ["status"]);
    expect(patch.body.details[0].message).toMatch(/read-only/);
  });
});

describe("reports", () => {
  it("a monitor that never ran has no uptime; time before its first check is not up", async ({ api, owner }) => {
    const never = await created(api, owner, "/monitors", http);
    const checked = await created(api, owner, "/monitors", http);
    const createdAt = Date.now() - 10 * 3_600_000;
    await api.deps.db.monitor.updateMany({
      where: { id: { in: [never.id, checked.id] } },
      data: { createdAt: new Date(createdAt) },
    });
    // First checked (down) 8 h after creation, up again 1 h later.
    await api.deps.db.monitorEvent.createMany({
      data: [
        { id: "mev_nu1", fromStatus: "pending" as const, toStatus: "down" as const, at: 8 },
        { id: "mev_nu2", fromStatus: "down" as const, toStatus: "up" as const, at: 9 },
      ].map(({ at, ...event }) => ({
        ...event,
        organizationId: owner.organizationId,
        monitorId: checked.id,
        type: `monitor.${event.toStatus}`,
        tick: new Date(createdAt + at * 3_600_000),
        cause: {},
        processedAt: new Date(),
        notifiedAt: new Date(),
      })),
    });
    const res = await send(api, owner, "GET", "/reports/sla?period=7d");
    expect(res.status, res.text).toBe(200);
    const row = (id: string) => res.body.data.find((r: { monitor_id: string }) => r.monitor_id === id);
    expect(row(never.id).uptime_percent).toBeNull();
    // 1 h down out of the ~2 h since the first check: about 50 %, with 2 decimals.
    const uptime = row(checked.id).uptime_percent;
    expect(uptime).toBeGreaterThan(49);
    expect(uptime).toBeLessThan(51);
    expect(Math.round(uptime * 100) / 100).toBe(uptime);
  });
});

describe("test sends", () => {
  it("a 410 from the receiver says the channel was left enabled", async ({ api, owner }) => {
    const receiver = await startReceiver();
    try {
      receiver.always("/gone", { status: 410 });
      const channel = await created(api, owner, "/notifications/channels", {
        name: "gone",
        type: "webhook",
        config: { url: `${receiver.url}/gone` },
      });
      const res = await send(api, owner, "POST", `/notifications/channels/${channel.id}/test`);
      expect(res.body).toMatchObject({ status: "failed", response_status: 410 });
      expect(res.body.error).not.toMatch(/was disabled/);
      expect(res.body.error).toMatch(/not disabled/);
    } finally {
      await receiver.close();
    }
  });
});

describe("account", () => {
  it("any valid credential reads who it is", async ({ api, owner }) => {
    const key = await createKey(api, owner, { scopes: ["monitors:read"] });
    const res = await api.request("GET", "/api/v1/account", { auth: key.raw });
    expect(res.status, res.text).toBe(200);
    expect(res.body.api_key).toMatchObject({ id: key.id, scopes: ["monitors:read"] });
  });
});

describe("exports", () => {
  it("the 202 has a Location, both lifetimes are named, the CSV names the monitor", async ({ api, owner }) => {
    const monitor = await created(api, owner, "/monitors", { ...http, name: "Home, page" });
    const { seq } = await api.deps.db.monitor.findUniqueOrThrow({ where: { id: monitor.id } });
    const tick = new Date(Date.now() - 3_600_000);
    await api.deps.db.checkResult.create({
      data: { monitorSeq: seq, region: "local", tick, checkedAt: tick, status: "up", responseMs: 12, httpStatus: 200 },
    });
    const res = await send(api, owner, "POST", "/exports", {
      type: "checks",
      format: "csv",
      from: new Date(Date.now() - 86_400_000).toISOString(),
      to: new Date().toISOString(),
    });
    expect(res.status, res.text).toBe(202);
    expect(res.headers.get("location")).toBe(`/api/v1/exports/${res.body.id}`);
    await buildExport(api.deps.db, res.body.id, { chunkBytes: 512, fileTtlMs: 86_400_000 });
    const done = (await send(api, owner, "GET", `/exports/${res.body.id}`)).body;
    expect(done.file_expires_at).toBe(done.expires_at);
    const linkExpires = Date.parse(done.download_url_expires_at);
    expect(linkExpires - Date.now()).toBeGreaterThan(3_500_000);
    expect(linkExpires - Date.now()).toBeLessThanOrEqual(3_600_000);
    const url = new URL(done.download_url);
    const file = (await api.request("GET", url.pathname + url.search)).text;
    const [header, first] = file.split(/\r?\n/);
    expect(header?.split(",").slice(0, 3)).toEqual(["id", "monitor_id", "monitor_name"]);
    expect(first).toContain(`,${monitor.id},"Home, page",`);
  });
});

describe("already fixed, still covered", () => {
  it("check details are snake_case", async ({ api, owner }) => {
    const monitor = await created(api, owner, "/monitors", http);
    const { seq } = await api.deps.db.monitor.findUniqueOrThrow({ where: { id: monitor.id } });
    const tick = new Date(Date.now() - 60_000);
    await api.deps.db.checkResult.create({
      data: {
        monitorSeq: seq,
        region: "local",
        tick,
        checkedAt: tick,
        status: "down",
        details: { firstByte: 3, bodyBytes: 10, failedStep: "login", recordType: "A" },
      },
    });
    const check = (await send(api, owner, "GET", `/monitors/${monitor.id}/checks`)).body.data[0];
    for (const key of Object.keys(check.details)) expect(key).toMatch(/^[a-z0-9_]+$/);
  });

  it("/metrics is not open on the public port", async ({ api }) => {
    expect((await api.request("GET", "/metrics")).status).not.toBe(200);
  });
});
