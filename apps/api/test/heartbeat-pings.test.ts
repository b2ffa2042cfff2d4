import type { MonitorEvent, Prisma } from "@upfleet/db";
import { waitFor } from "@upfleet/testing";
import { describe, expect } from "vitest";
import type { TestUser } from "./support/accounts.ts";
import { apiTest } from "./support/fixtures.ts";
import { detailPaths, expectError } from "./support/security.ts";
import { newHeartbeat } from "./support/tenants.ts";
import type { TestApi, TestResponse } from "./support/test-api.ts";

interface Heartbeat {
  id: string;
  token: string;
  url: string;
}

/**
 * The file's API and helpers in one fixture: `createHeartbeat` creates an hourly heartbeat monitor of
 * the owner's, `monitor` reads one, `pingsOf` and `eventsOf` read the pings and state changes stored
 * for one.
 */
const it = apiTest({ OPEN_SIGNUP: "true" }).extend<{
  h: {
    api: TestApi;
    owner: TestUser;
    ping: (path: string, options?: Parameters<TestApi["request"]>[2] & { method?: string }) => Promise<TestResponse>;
    createHeartbeat: (fields?: Record<string, unknown>) => Promise<Heartbeat>;
    monitor: (id: string) => Promise<TestResponse>;
    pingsOf: (id: string) => Promise<Prisma.HeartbeatPingGetPayload<object>[]>;
    eventsOf: (id: string) => Promise<MonitorEvent[]>;
  };
}>({
  h: async ({ api, owner, ping }, use) =>
    use({
      api,
      owner,
      ping,
      createHeartbeat: (fields = {}) => newHeartbeat(api, owner, { name: "nightly backup", ...fields }),
      monitor: (id) => api.request("GET", `/api/v1/monitors/${id}`, { auth: owner.token }),
      pingsOf: (id) => api.deps.db.heartbeatPing.findMany({ where: { monitorId: id }, orderBy: { id: "asc" } }),
      eventsOf: (id) =>
        api.deps.db.monitorEvent.findMany({ where: { monitorId: id }, orderBy: [{ tick: "asc" }, { id: "asc" }] }),
    }),
});

function expectOk(res: TestResponse) {
  expect(res.status, res.text).toBe(200);
  expect(res.body).toEqual({ ok: true });
}

describe("heartbeat monitors", () => {
  it("get a long random token (not derived from the id) and a ping URL under PUBLIC_URL", async ({ h }) => {
    const { api, createHeartbeat } = h;
    const a = await createHeartbeat();
    const b = await createHeartbeat();
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(a.token).not.toBe(b.token);
    expect(a.token).not.toContain(a.id.slice(4));
    expect(a.url).toBe(`${api.deps.config.PUBLIC_URL}/api/heartbeat/${a.token}`);
  });

  it("show the last success and the next expected ping; pending until the first ping", async ({ h }) => {
    const { ping, createHeartbeat, monitor } = h;
    const hb = await createHeartbeat({ heartbeat_grace_minutes: 1 });
    expect((await monitor(hb.id)).body).toMatchObject({
      status: "pending",
      heartbeat_last_ping_at: null,
      heartbeat_next_expected_at: null,
    });
    expectOk(await ping(hb.token));
    const shown = (await monitor(hb.id)).body;
    expect(shown.status).toBe("up");
    const last = Date.parse(shown.heartbeat_last_ping_at);
    expect(Date.now() - last).toBeLessThan(5_000);
    expect(Date.parse(shown.heartbeat_next_expected_at)).toBe(last + 3_600_000);
  });
});

describe("heartbeat schedules", () => {
  it("refuse a bad cron, zone, grace or runtime pair with 400 naming the field, storing nothing", async ({ h }) => {
    const { api, owner } = h;
    const before = await api.deps.db.monitor.count();
    for (const [fields, path] of [
      [{ heartbeat_schedule: "* * *" }, "heartbeat_schedule"],
      [{ heartbeat_schedule: "61 * * * *" }, "heartbeat_schedule"],
      [{ heartbeat_timezone: "Mars/Olympus" }, "heartbeat_timezone"],
      [{ heartbeat_grace_minutes: -1 }, "heartbeat_grace_minutes"],
      [{ heartbeat_grace_minutes: 43_201 }, "heartbeat_grace_minutes"],
      [{ heartbeat_min_runtime_seconds: 10, heartbeat_max_runtime_seconds: 5 }, "heartbeat_min_runtime_seconds"],
    ] as const) {
      const res = await api.request("POST", "/api/v1/monitors", {
        auth: owner.token,
        body: {
          type: "heartbeat",
          name: "bad",
          ...("heartbeat_schedule" in fields ? {} : { interval_seconds: 60 }),
          ...fields,
        },
      });
      expectError(res, 400, "validation_error");
      expect(detailPaths(res), JSON.stringify(fields)).toEqual([path]);
    }
    expect(await api.deps.db.monitor.count()).toBe(before);
  });

  it("show the next cron occurrence in the monitor's zone", async ({ h }) => {
    const { ping, createHeartbeat, monitor } = h;
    const hb = await createHeartbeat({ heartbeat_schedule: "30 2 * * *", heartbeat_timezone: "Europe/Berlin" });
    expectOk(await ping(hb.token));
    const next = Date.parse((await monitor(hb.id)).body.heartbeat_next_expected_at);
    expect(next).toBeGreaterThan(Date.now());
    expect(next - Date.now()).toBeLessThanOrEqual(25 * 3_600_000);
    const local = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", timeStyle: "short" }).format(next);
    // 02:30 Berlin time, or 03:30 on the one day a year 02:30 does not exist.
    expect(["02:30", "03:30"]).toContain(local);
  });
});

describe("ping signals", () => {
  it("a success by GET, POST and HEAD, each logged with its method, source and user agent", async ({ h }) => {
    const { ping, createHeartbeat, pingsOf } = h;
    const hb = await createHeartbeat();
    expectOk(await ping(hb.token, { headers: { "user-agent": "curl/8.5" } }));
    expectOk(await ping(hb.token, { method: "POST", rawBody: "backed up 42 files", contentType: "text/plain" }));
    const head = await ping(hb.token, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
    const pings = await pingsOf(hb.id);
    expect(pings.map((p) => [p.kind, p.method, p.body])).toEqual([
      ["success", "GET", null],
      ["success", "POST", "backed up 42 files"],
      ["success", "HEAD", null],
    ]);
    expect(pings[0]).toMatchObject({ sourceIp: "127.0.0.1", userAgent: "curl/8.5", exitCode: null });
  });

  it("/fail is down at once with a monitor.down event; the next success is monitor.up", async ({ h }) => {
    const { ping, createHeartbeat, monitor, eventsOf } = h;
    const hb = await createHeartbeat();
    expectOk(await ping(hb.token));
    expectOk(await ping(`${hb.token}/fail`));
    expect((await monitor(hb.id)).body.status).toBe("down");
    expectOk(await ping(hb.token));
    expect((await monitor(hb.id)).body.status).toBe("up");
    const events = await eventsOf(hb.id);
    expect(events.map((e) => [e.type, e.fromStatus, e.toStatus])).toEqual([
      ["monitor.down", "up", "down"],
      ["monitor.up", "down", "up"],
    ]);
    expect(events[0]!.cause).toMatchObject({ error: "fail" });
  });

  it("an exit code: 0 is a success, anything else down with the code as cause", async ({ h }) => {
    const { ping, createHeartbeat, monitor, pingsOf, eventsOf } = h;
    const hb = await createHeartbeat();
    expectOk(await ping(`${hb.token}/0`));
    expect((await monitor(hb.id)).body.status).toBe("up");
    expectOk(await ping(`${hb.token}/3`, { method: "POST" }));
    expect((await monitor(hb.id)).body.status).toBe("down");
    const [event] = await eventsOf(hb.id);
    expect(event!.cause).toEqual({ error: "exit code 3", exit_code: 3, rid: null });
    expect((await pingsOf(hb.id)).map((p) => [p.kind, p.exitCode])).toEqual([
      ["success", 0],
      ["fail", 3],
    ]);
  });

  it("/start and its finish measure the run; with rids, two overlapping runs get their own durations", async ({
    h,
  }) => {
    const { ping, createHeartbeat, pingsOf } = h;
    const hb = await createHeartbeat();
    // Each run lasts 150 ms from its start as stored, however long the ping itself took.
    const lastPingAged = async () => {
      const storedAt = (await pingsOf(hb.id)).at(-1)!.createdAt.getTime();
      await waitFor(() => Date.now() - storedAt >= 150, { what: "150 ms since the last ping" });
    };
    expectOk(await ping(`${hb.token}/start?rid=run-a`));
    await lastPingAged();
    expectOk(await ping(`${hb.token}/start?rid=run-b`));
    await lastPingAged();
    expectOk(await ping(`${hb.token}/0?rid=run-a`));
    expectOk(await ping(`${hb.token}?rid=run-b`));
    const pings = await pingsOf(hb.id);
    const [startA, startB, endA, endB] = pings;
    expect(pings.map((p) => [p.kind, p.rid])).toEqual([
      ["start", "run-a"],
      ["start", "run-b"],
      ["success", "run-a"],
      ["success", "run-b"],
    ]);
    expect(endA!.durationMs).toBe(endA!.createdAt.getTime() - startA!.createdAt.getTime());
    expect(endB!.durationMs).toBe(endB!.createdAt.getTime() - startB!.createdAt.getTime());
    expect(endA!.durationMs).toBeGreaterThanOrEqual(300);
    expect(endB!.durationMs).toBeLessThan(endA!.durationMs!);
  });

  it("a run shorter than heartbeat_min_runtime_seconds is a failure: run too short", async ({ h }) => {
    const { ping, createHeartbeat, monitor, eventsOf } = h;
    const hb = await createHeartbeat({ heartbeat_min_runtime_seconds: 60 });
    expectOk(await ping(hb.token));
    expectOk(await ping(`${hb.token}/start`));
    expectOk(await ping(hb.token));
    expect((await monitor(hb.id)).body.status).toBe("down");
    const [event] = await eventsOf(hb.id);
    expect(event!.cause).toMatchObject({ error: "run too short", min_runtime_seconds: 60 });
  });
});

describe("ping bodies", () => {
  it("a 10 MB body is answered 200 and stored truncated to 10 KiB", async ({ h }) => {
    const { ping, createHeartbeat, pingsOf } = h;
    const hb = await createHeartbeat();
    const huge = Buffer.alloc(10 * 1024 * 1024, "y");
    expectOk(await ping(hb.token, { method: "POST", rawBody: huge, contentType: "application/octet-stream" }));
    const [stored] = await pingsOf(hb.id);
    expect(stored!.body).toBe("y".repeat(10 * 1024));
  });

  it("a binary body is stored as lossy UTF-8 (U+FFFD), and a JSON one as its text", async ({ h }) => {
    const { ping, createHeartbeat, pingsOf } = h;
    const hb = await createHeartbeat();
    const binary = Buffer.from([0x00, 0xff, 0x41, 0xc3]);
    expectOk(await ping(hb.token, { method: "POST", rawBody: binary, contentType: "application/octet-stream" }));
    expectOk(await ping(hb.token, { method: "POST", body: { files: 42 } }));
    expectOk(await ping(hb.token, { method: "POST", rawBody: "{not json" }));
    expect((await pingsOf(hb.id)).map((p) => p.body)).toEqual(["\uFFFD\uFFFDA\uFFFD", '{"files":42}', "{not json"]);
  });
});

describe("bad pings", () => {
  it("exit codes outside 0–255 or not integers are 400 naming exit_code, and store nothing", async ({ h }) => {
    const { ping, createHeartbeat, pingsOf } = h;
    const hb = await createHeartbeat();
    for (const code of ["-1", "256", "abc", "1.5", "0x1", "+3", "1000"]) {
      const res = await ping(`${hb.token}/${encodeURIComponent(code)}`);
      expectError(res, 400, "validation_error");
      expect(detailPaths(res)).toEqual(["exit_code"]);
    }
    expect(await pingsOf(hb.id)).toEqual([]);
  });

  it("a rid over 64 characters is 400 naming rid; other query parameters are ignored", async ({ h }) => {
    const { ping, createHeartbeat, pingsOf } = h;
    const hb = await createHeartbeat();
    for (const rid of ["r".repeat(65), "a%00b", "line%0Abreak"]) {
      const res = await ping(`${hb.token}/start?rid=${rid}`);
      expectError(res, 400, "validation_error");
      expect(detailPaths(res)).toEqual(["rid"]);
    }
    expectOk(await ping(`${hb.token}/start?rid=${"r".repeat(64)}&ts=1700000000`));
    expectOk(await ping(`${hb.token}?rid=`));
    expect((await pingsOf(hb.id)).map((p) => p.rid)).toEqual(["r".repeat(64), null]);
  });

  it("an unknown, malformed or deleted monitor's token is 404 in the error shape", async ({ h }) => {
    const { api, owner, ping, createHeartbeat, pingsOf } = h;
    const hb = await createHeartbeat();
    expect((await api.request("DELETE", `/api/v1/monitors/${hb.id}`, { auth: owner.token })).status).toBe(204);
    for (const path of ["A".repeat(32), "short", `${"A".repeat(32)}/start`, `${"B".repeat(32)}/fail`, hb.token]) {
      expectError(await ping(path), 404, "not_found");
    }
    expect(await pingsOf(hb.id)).toEqual([]);
  });

  it("odd methods are 405 in the error shape, with Allow", async ({ h }) => {
    const { ping, createHeartbeat, pingsOf } = h;
    const hb = await createHeartbeat();
    for (const method of ["PUT", "PATCH", "DELETE", "OPTIONS"]) {
      for (const path of [hb.token, `${hb.token}/start`, `${hb.token}/7`]) {
        const res = await ping(path, { method });
        expectError(res, 405, "method_not_allowed");
        expect(res.headers.get("allow")).toBe("GET, HEAD, POST");
      }
    }
    expect(await pingsOf(hb.id)).toEqual([]);
  });
});

describe("paused heartbeat monitors", () => {
  it("accept and log pings but change no status and raise no event", async ({ h }) => {
    const { api, owner, ping, createHeartbeat, monitor, pingsOf, eventsOf } = h;
    const hb = await createHeartbeat();
    expectOk(await ping(hb.token));
    expect((await api.request("POST", `/api/v1/monitors/${hb.id}/pause`, { auth: owner.token })).status).toBe(200);
    expectOk(await ping(`${hb.token}/fail`));
    expectOk(await ping(`${hb.token}/2`));
    const shown = (await monitor(hb.id)).body;
    expect(shown).toMatchObject({ status: "paused", heartbeat_next_expected_at: null });
    expect((await pingsOf(hb.id)).map((p) => p.kind)).toEqual(["success", "fail", "fail"]);
    expect(await eventsOf(hb.id)).toEqual([]);
    const row = await api.deps.db.monitor.findUniqueOrThrow({ where: { id: hb.id } });
    expect(row).toMatchObject({ status: "up", heartbeatDeadlineAt: null });
  });

  it("have no deadline while paused, get it back on resume, and follow a PATCH of the period", async ({ h }) => {
    const { api, owner, ping, createHeartbeat } = h;
    const hb = await createHeartbeat();
    expectOk(await ping(hb.token));
    const row = () => api.deps.db.monitor.findUniqueOrThrow({ where: { id: hb.id } });
    await api.request("POST", `/api/v1/monitors/${hb.id}/pause`, { auth: owner.token });
    expect((await row()).heartbeatDeadlineAt).toBeNull();
    await api.request("POST", `/api/v1/monitors/${hb.id}/resume`, { auth: owner.token });
    const resumed = await row();
    expect(resumed.heartbeatDeadlineAt!.getTime()).toBe(resumed.heartbeatLastPingAt!.getTime() + 3_600_000 + 300_000);
    const patched = await api.request("PATCH", `/api/v1/monitors/${hb.id}`, {
      auth: owner.token,
      body: { interval_seconds: 600, heartbeat_grace_minutes: 0.5 },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(Date.parse(patched.body.heartbeat_next_expected_at)).toBe(resumed.heartbeatLastPingAt!.getTime() + 600_000);
    expect((await row()).heartbeatDeadlineAt!.getTime()).toBe(resumed.heartbeatLastPingAt!.getTime() + 630_000);
    await api.request("DELETE", `/api/v1/monitors/${hb.id}`, { auth: owner.token });
    expect((await row()).heartbeatDeadlineAt).toBeNull();
  });
});

describe("GET /monitors/:id/pings", () => {
  it("lists the log newest first, page by page with the cursor", async ({ h }) => {
    const { api, owner, ping, createHeartbeat } = h;
    const hb = await createHeartbeat();
    for (const path of [`${hb.token}/start?rid=x`, `${hb.token}/0?rid=x`, hb.token, `${hb.token}/fail`, hb.token]) {
      expectOk(await ping(path, { headers: { "user-agent": "backup.sh" } }));
    }
    const first = await api.request("GET", `/api/v1/monitors/${hb.id}/pings?limit=2`, { auth: owner.token });
    expect(first.status, first.text).toBe(200);
    expect(first.body.data.map((p: { kind: string }) => p.kind)).toEqual(["success", "fail"]);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await api.request(
      "GET",
      `/api/v1/monitors/${hb.id}/pings?limit=2&cursor=${first.body.next_cursor}`,
      {
        auth: owner.token,
      },
    );
    const third = await api.request(
      "GET",
      `/api/v1/monitors/${hb.id}/pings?limit=2&cursor=${second.body.next_cursor}`,
      {
        auth: owner.token,
      },
    );
    expect(third.body.next_cursor).toBeNull();
    const all = [...first.body.data, ...second.body.data, ...third.body.data];
    expect(all.map((p: { kind: string; exit_code: number | null }) => [p.kind, p.exit_code])).toEqual([
      ["success", null],
      ["fail", null],
      ["success", null],
      ["success", 0],
      ["start", null],
    ]);
    expect(all[3]).toEqual({
      id: expect.stringMatching(/^png_/),
      kind: "success",
      exit_code: 0,
      rid: "x",
      duration_ms: expect.any(Number),
      method: "GET",
      source_ip: "127.0.0.1",
      user_agent: "backup.sh",
      body: null,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
  });

  it("is 404 for another organization's monitor", async ({ other, h }) => {
    const { api, createHeartbeat } = h;
    const hb = await createHeartbeat();
    expectError(await api.request("GET", `/api/v1/monitors/${hb.id}/pings`, { auth: other.token }), 404, "not_found");
  });
});

describe("pings and API keys", () => {
  it("never count against an API key's rate limit", async ({ h }) => {
    const { api, owner, ping, createHeartbeat } = h;
    const hb = await createHeartbeat();
    const remaining = async () =>
      Number((await api.request("GET", "/api/v1/account", { auth: owner.token })).headers.get("x-ratelimit-remaining"));
    const before = await remaining();
    for (let i = 0; i < 5; i++) expectOk(await ping(hb.token));
    const after = await remaining();
    // One request apart, unless the minute window rolled over in between.
    expect([before - 1, 59]).toContain(after);
  });
});
