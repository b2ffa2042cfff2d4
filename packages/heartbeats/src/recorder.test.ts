import type { Db, Monitor, MonitorEvent, Prisma, SqlPool } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import { createLogger } from "@upfleet/logger";
import { waitFor } from "@upfleet/testing";
import { test } from "@upfleet/testing/fixtures";
import { Registry } from "prom-client";
import { describe, expect } from "vitest";
import { expireDeadlines, settleHeartbeat } from "./deadlines.ts";
import { type PingInput, PingRecorder } from "./recorder.ts";
import { TokenDirectory } from "./tokens.ts";

/**
 * The file's `recorder` on its `sql` pool, reporting to `metrics`; `heartbeat` seeds a
 * heartbeat monitor and `eventsOf` reads a monitor's events in order.
 */
interface Parts {
  metrics: Registry;
  recorder: PingRecorder;
  heartbeat: (
    settings?: Record<string, unknown>,
    fields?: Partial<Prisma.MonitorUncheckedCreateInput>,
  ) => Promise<Monitor>;
  eventsOf: (monitorId: string) => Promise<MonitorEvent[]>;
}

/** The parts with the file's stores, `pingsOf` (a monitor's pings in order) and `row` (its monitor row). */
interface Heartbeats extends Parts {
  db: Db;
  sql: SqlPool;
  organizationId: string;
  pingsOf: (monitorId: string) => Promise<Prisma.HeartbeatPingGetPayload<object>[]>;
  row: (monitorId: string) => Promise<Monitor>;
}

const it = test.extend<Parts & { h: Heartbeats }>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern.
  metrics: [async ({}, use) => use(new Registry()), { scope: "file" }],
  recorder: [
    async ({ sql, metrics }, use) => {
      const recorder = new PingRecorder({ sql, logger: createLogger("test", "silent"), metrics });
      await use(recorder);
      await recorder.close();
    },
    { scope: "file" },
  ],
  heartbeat: async ({ db, organizationId }, use) =>
    use((settings = {}, fields = {}) =>
      db.monitor.create({
        data: {
          id: newId("monitor"),
          organizationId,
          name: "nightly backup",
          type: "heartbeat",
          settings: { heartbeat_schedule: null, heartbeat_timezone: "UTC", heartbeat_grace_minutes: 1, ...settings },
          intervalSeconds: 60,
          timeoutMs: 10_000,
          regions: [],
          tags: [],
          heartbeatToken: newId("ping").slice(4),
          ...fields,
        },
      }),
    ),
  eventsOf: async ({ db }, use) =>
    use((monitorId) => db.monitorEvent.findMany({ where: { monitorId }, orderBy: [{ tick: "asc" }, { id: "asc" }] })),
  h: async ({ db, sql, organizationId, metrics, recorder, heartbeat, eventsOf }, use) =>
    use({
      ...{ db, sql, organizationId, metrics, recorder, heartbeat, eventsOf },
      pingsOf: (monitorId) => db.heartbeatPing.findMany({ where: { monitorId }, orderBy: { id: "asc" } }),
      row: (id) => db.monitor.findUniqueOrThrow({ where: { id } }),
    }),
});

const ping = (monitorId: string, kind: PingInput["kind"], extra: Partial<PingInput> = {}): PingInput => ({
  monitorId,
  kind,
  exitCode: null,
  rid: null,
  method: "GET",
  sourceIp: "203.0.113.7",
  userAgent: "curl/8",
  body: null,
  ...extra,
});

describe("PingRecorder", () => {
  it("writes concurrent pings of many monitors in few statements, each answered once it is committed", async ({
    h,
  }) => {
    const { db, metrics, recorder, heartbeat } = h;
    const monitors = await Promise.all(Array.from({ length: 20 }, () => heartbeat()));
    const before = Date.now();
    const results = await Promise.all(
      monitors.flatMap((m) => [recorder.record(ping(m.id, "success")), recorder.record(ping(m.id, "success"))]),
    );
    expect(results.every((r) => r.recorded)).toBe(true);
    const stored = await db.heartbeatPing.findMany({ where: { monitorId: { in: monitors.map((m) => m.id) } } });
    expect(stored.map((p) => p.id).sort()).toEqual(results.map((r) => (r.recorded ? r.id : "")).sort());
    const after = await db.monitor.findMany({ where: { id: { in: monitors.map((m) => m.id) } } });
    for (const m of after) {
      expect(m.status).toBe("up");
      expect(m.heartbeatLastPingAt!.getTime()).toBeGreaterThanOrEqual(before);
      expect(m.heartbeatDeadlineAt!.getTime()).toBe(m.heartbeatLastPingAt!.getTime() + 60_000 + 60_000);
    }
    const batches = await metrics.getSingleMetric("upfleet_heartbeat_batch_pings")!.get();
    const values = batches.values as { metricName?: string; value: number }[];
    const count = values.find((v) => v.metricName === "upfleet_heartbeat_batch_pings_count")!.value;
    expect(count).toBeLessThan(40);
  });

  it("pairs overlapping runs by rid, stores their durations, and closes the runs", async ({ h }) => {
    const { db, recorder, heartbeat, pingsOf } = h;
    const m = await heartbeat();
    await recorder.record(ping(m.id, "start", { rid: "a" }));
    await recorder.record(ping(m.id, "start", { rid: "b" }));
    // The runs need a duration: the finishes are recorded once the clock has moved past the starts.
    const started = Date.now();
    await waitFor(() => Date.now() > started, { intervalMs: 1, what: "the clock past the starts" });
    const [b, a] = [
      await recorder.record(ping(m.id, "success", { rid: "b" })),
      await recorder.record(ping(m.id, "success", { rid: "a" })),
    ];
    const pings = await pingsOf(m.id);
    const runs = await db.heartbeatRun.findMany({ where: { monitorId: m.id }, orderBy: { startedAt: "asc" } });
    const duration = (r: typeof a) => pings.find((p) => r.recorded && p.id === r.id)!.durationMs!;
    expect(duration(a)).toBe(pings[3]!.createdAt.getTime() - runs[0]!.startedAt.getTime());
    expect(duration(b)).toBe(pings[2]!.createdAt.getTime() - runs[1]!.startedAt.getTime());
    expect(duration(a)).toBeGreaterThan(duration(b));
    expect(runs.map((r) => [r.rid, r.finishedAt !== null])).toEqual([
      ["a", true],
      ["b", true],
    ]);
  });

  it("a failure is down at once with a monitor.down event, the next success is monitor.up", async ({ h }) => {
    const { recorder, heartbeat, eventsOf, row } = h;
    const m = await heartbeat();
    await recorder.record(ping(m.id, "success"));
    await recorder.record(ping(m.id, "fail", { exitCode: 3 }));
    expect(await row(m.id)).toMatchObject({
      status: "down",
      heartbeatDeadlineAt: null,
    });
    await recorder.record(ping(m.id, "success"));
    const events = await eventsOf(m.id);
    expect(events.map((e) => [e.type, e.fromStatus, e.toStatus])).toEqual([
      ["monitor.down", "up", "down"],
      ["monitor.up", "down", "up"],
    ]);
    expect(events[0]!.cause).toEqual({ error: "exit code 3", exit_code: 3, rid: null });
  });

  it("opens and finishes a run within one batch", async ({ h }) => {
    const { db, recorder, heartbeat } = h;
    const m = await heartbeat();
    await Promise.all([recorder.record(ping(m.id, "start")), recorder.record(ping(m.id, "success"))]);
    const runs = await db.heartbeatRun.findMany({ where: { monitorId: m.id } });
    expect(runs).toHaveLength(1);
    expect(runs[0]!.finishedAt).not.toBeNull();
  });

  it("a ping the database refuses fails alone, not the other pings of its batch", async ({ h }) => {
    const { db, recorder, heartbeat, row } = h;
    const [a, b] = [await heartbeat(), await heartbeat()];
    const results = await Promise.allSettled([
      recorder.record(ping(a.id, "success")),
      // PostgreSQL text cannot hold NUL; the API refuses such a rid, the recorder must not trust that.
      recorder.record(ping(b.id, "start", { rid: "bad\u0000rid" })),
      recorder.record(ping(b.id, "success")),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(await db.heartbeatPing.count({ where: { monitorId: { in: [a.id, b.id] } } })).toBe(2);
    expect((await row(b.id)).status).toBe("up");
  });

  it("with several lanes keeps each monitor's pings in order", async ({ h }) => {
    const { sql, heartbeat, eventsOf, pingsOf } = h;
    const laned = new PingRecorder(
      { sql, logger: createLogger("test", "silent"), metrics: new Registry() },
      { lanes: 3 },
    );
    const monitors = await Promise.all(Array.from({ length: 9 }, () => heartbeat()));
    await Promise.all(monitors.map((m) => laned.record(ping(m.id, "start"))));
    await Promise.all(monitors.map((m) => laned.record(ping(m.id, "fail", { exitCode: 1 }))));
    await Promise.all(monitors.map((m) => laned.record(ping(m.id, "success"))));
    await laned.close();
    for (const m of monitors) {
      const pings = await pingsOf(m.id);
      expect(pings.map((p) => p.kind)).toEqual(["start", "fail", "success"]);
      expect(pings[1]!.durationMs).not.toBeNull();
      expect((await eventsOf(m.id)).map((e) => e.type)).toEqual(["monitor.down", "monitor.up"]);
    }
  });

  it("two recorders (two API instances) on one monitor each see the other's runs and state", async ({ h }) => {
    const { db, sql, recorder, heartbeat, eventsOf, pingsOf, row } = h;
    const other = new PingRecorder({ sql, logger: createLogger("test", "silent"), metrics: new Registry() });
    const m = await heartbeat();
    // Each finish is recorded by the instance that did not see the start: its state in memory is
    // older than the row, so its write must notice, read the monitor again and apply the ping there.
    await recorder.record(ping(m.id, "start", { rid: "1" }));
    await other.record(ping(m.id, "success", { rid: "1" }));
    await recorder.record(ping(m.id, "start", { rid: "2" }));
    await other.record(ping(m.id, "fail", { rid: "2", exitCode: 2 }));
    await recorder.record(ping(m.id, "success", { rid: "3" }));
    await other.close();
    const pings = await pingsOf(m.id);
    expect(pings.map((p) => [p.kind, p.durationMs !== null])).toEqual([
      ["start", false],
      ["success", true],
      ["start", false],
      ["fail", true],
      ["success", false],
    ]);
    expect(await db.heartbeatRun.count({ where: { monitorId: m.id, finishedAt: null } })).toBe(0);
    expect((await eventsOf(m.id)).map((e) => e.type)).toEqual(["monitor.down", "monitor.up"]);
    expect(await row(m.id)).toMatchObject({ status: "up", passStreak: 1 });
  });

  it("applies an edit made after the monitor's state was kept in memory (paused: no alert)", async ({ h }) => {
    const { db, recorder, heartbeat, eventsOf } = h;
    const m = await heartbeat();
    await recorder.record(ping(m.id, "success"));
    await db.monitor.update({ where: { id: m.id }, data: { paused: true } });
    expect(await recorder.record(ping(m.id, "fail", { exitCode: 1 }))).toMatchObject({ recorded: true });
    expect(await eventsOf(m.id)).toEqual([]);
    await db.monitor.update({ where: { id: m.id }, data: { deletedAt: new Date() } });
    expect(await recorder.record(ping(m.id, "success"))).toEqual({ recorded: false });
    expect(await db.heartbeatPing.count({ where: { monitorId: m.id } })).toBe(2);
  });

  it("refuses pings for a deleted monitor and records nothing for it", async ({ h }) => {
    const { db, recorder, heartbeat } = h;
    const m = await heartbeat({}, { deletedAt: new Date() });
    expect(await recorder.record(ping(m.id, "success"))).toEqual({ recorded: false });
    expect(await db.heartbeatPing.count({ where: { monitorId: m.id } })).toBe(0);
  });
});

describe("expireDeadlines", () => {
  it("marks a monitor past its deadline down once, with the cause, and clears the deadline", async ({ h }) => {
    const { db, heartbeat, eventsOf, row } = h;
    const lastPing = new Date(Date.now() - 10 * 60_000);
    const deadline = new Date(lastPing.getTime() + 120_000);
    const m = await heartbeat({}, { status: "up", heartbeatLastPingAt: lastPing, heartbeatDeadlineAt: deadline });
    const first = await expireDeadlines(db);
    expect(first.events).toBeGreaterThanOrEqual(1);
    expect(await expireDeadlines(db)).toEqual({ expired: 0, events: 0, latenessMs: [] });
    const events = await eventsOf(m.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "monitor.down", fromStatus: "up", toStatus: "down", tick: deadline });
    expect(events[0]!.cause).toMatchObject({
      error: "missed",
      expected_at: new Date(lastPing.getTime() + 60_000).toISOString(),
    });
    expect(await row(m.id)).toMatchObject({
      status: "down",
      heartbeatDeadlineAt: null,
    });
  });

  it("skips a monitor another transaction holds, and takes it once released", async ({ h }) => {
    const { db, heartbeat, eventsOf } = h;
    const m = await heartbeat({}, { status: "up", heartbeatLastPingAt: new Date(), heartbeatDeadlineAt: new Date() });
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM monitors WHERE id = ${m.id} FOR UPDATE`;
      locked();
      await held;
    });
    await isLocked;
    await expireDeadlines(db);
    expect(await eventsOf(m.id)).toEqual([]);
    release();
    await holder;
    await expireDeadlines(db);
    expect((await eventsOf(m.id)).map((e) => e.type)).toEqual(["monitor.down"]);
  });

  it("leaves paused and deleted monitors alone", async ({ h }) => {
    const { db, heartbeat, eventsOf } = h;
    const past = new Date(Date.now() - 1_000);
    const paused = await heartbeat({}, { status: "up", paused: true, heartbeatDeadlineAt: past });
    const deleted = await heartbeat({}, { status: "up", deletedAt: new Date(), heartbeatDeadlineAt: past });
    await expireDeadlines(db);
    expect(await eventsOf(paused.id)).toEqual([]);
    expect(await eventsOf(deleted.id)).toEqual([]);
  });
});

describe("settleHeartbeat", () => {
  it("gives a resumed monitor a full period from now, and clears a paused one's deadline", async ({ h }) => {
    const { db, heartbeat, eventsOf, row } = h;
    const longAgo = new Date(Date.now() - 3_600_000);
    const m = await heartbeat({}, { status: "up", heartbeatLastPingAt: longAgo, paused: true });
    await db.monitor.update({ where: { id: m.id }, data: { paused: false } });
    const now = new Date();
    await settleHeartbeat(db, m.id, { resumed: true, now });
    expect((await row(m.id)).heartbeatDeadlineAt).toEqual(new Date(now.getTime() + 120_000));
    await db.monitor.update({ where: { id: m.id }, data: { paused: true } });
    await settleHeartbeat(db, m.id);
    expect((await row(m.id)).heartbeatDeadlineAt).toBeNull();
    expect(await eventsOf(m.id)).toEqual([]);
  });

  it("recomputes the deadline from new settings", async ({ h }) => {
    const { db, heartbeat, row } = h;
    const last = new Date(Date.now() - 1_000);
    const deadline = new Date(last.getTime() + 120_000);
    const m = await heartbeat({}, { status: "up", heartbeatLastPingAt: last, heartbeatDeadlineAt: deadline });
    await db.monitor.update({
      where: { id: m.id },
      data: { intervalSeconds: 600, settings: { heartbeat_grace_minutes: 0.5 } },
    });
    await settleHeartbeat(db, m.id);
    expect((await row(m.id)).heartbeatDeadlineAt).toEqual(new Date(last.getTime() + 630_000));
  });
});

describe("TokenDirectory", () => {
  it("finds live heartbeat monitors by token, from memory once known", async ({ h }) => {
    const { db, organizationId, heartbeat } = h;
    const m = await heartbeat();
    const gone = await heartbeat({}, { deletedAt: new Date() });
    const tokens = new TokenDirectory(db);
    expect(await tokens.resolve(m.heartbeatToken!)).toEqual({ monitorId: m.id, organizationId });
    expect(await tokens.resolve(gone.heartbeatToken!)).toBeNull();
    expect(await tokens.resolve("no-such-token")).toBeNull();
    await db.monitor.update({ where: { id: m.id }, data: { deletedAt: new Date() } });
    expect(await tokens.resolve(m.heartbeatToken!)).toEqual({ monitorId: m.id, organizationId });
  });

  it("forgets an unknown token after its short TTL, and stays within its size", async ({ h }) => {
    const { db, organizationId, heartbeat } = h;
    // From 1: lru-cache treats an entry stored at time 0 as ageless.
    let now = 1;
    const tokens = new TokenDirectory(db, { missTtlMs: 1_000, maxEntries: 2, now: () => now });
    expect(await tokens.resolve("later")).toBeNull();
    const m = await heartbeat({}, { heartbeatToken: "later" });
    expect(await tokens.resolve("later")).toBeNull();
    now = 1_002;
    expect(await tokens.resolve("later")).toEqual({ monitorId: m.id, organizationId });
    await Promise.all(["x1", "x2", "x3"].map((t) => tokens.resolve(t)));
    expect((tokens as unknown as { entries: { size: number } }).entries.size).toBeLessThanOrEqual(2);
  });
});
