import type { Db, Incident, Monitor, MonitorEvent } from "@upfleet/db";
import { type AppProcess, type TestRedis, waitFor } from "@upfleet/testing";
import { describe, expect } from "vitest";
import { alerterApp, apiApp, it as base, type Services, startAlerter, startApi } from "./support.ts";

/**
 * A cron job's life on the real processes: the API records its pings, the alerter applies its
 * deadlines and opens and resolves its incidents.
 */

/** The bar: a missed deadline is detected within 2 s. */
const PRECISION_MS = 2_000;

type App = AppProcess & { url: string };

/** The file's API and alerter processes, a signed-up owner's `session`, and the helpers on them. */
interface Cron {
  db: Db;
  services: Services;
  redis: TestRedis;
  api: App;
  session: string;
  createHeartbeat: (fields: Record<string, unknown>) => Promise<{ id: string; token: string }>;
  /** A ping through the API process, answered 200. */
  ping: (path: string) => Promise<void>;
  row: (id: string) => Promise<Monitor>;
  downEvents: (id: string) => Promise<MonitorEvent[]>;
  /** Waits for the monitor's down event, and checks it came within PRECISION_MS of the deadline. */
  expectDownOnTime: (id: string, deadline: Date, error: string) => Promise<void>;
  /** Waits for the monitor's incidents to be opened, and reads them. */
  incidentOf: (id: string) => Promise<Incident[]>;
}

/**
 * `cron`, started for the file on its services: an API and an alerter process, stopped with their
 * process groups after its last test (a test that replaces the alerter starts the new ones in `apps`).
 */
const it = base.extend<{ cron: Cron; alerter: App }>({
  alerter: [
    async ({ services }, use) => {
      const alerter = await startAlerter(services, 60_000);
      await use(alerter);
      await alerter.stop("SIGKILL");
    },
    { scope: "file" },
  ],
  cron: [
    async ({ db, services, redis, alerter: _ }, use) => {
      const api = await startApi(services);
      const signup = await fetch(`${api.url}/api/v1/auth/signup`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          email: "cron@example.com",
          password: "correct horse battery",
          organization_name: "Cron",
        }),
      });
      const session = ((await signup.json()) as { token: string }).token;
      const row: Cron["row"] = (id) => db.monitor.findUniqueOrThrow({ where: { id } });
      const downEvents: Cron["downEvents"] = (id) =>
        db.monitorEvent.findMany({ where: { monitorId: id, type: "monitor.down" }, orderBy: { tick: "asc" } });
      await use({
        ...{ db, services, redis, api, session, row, downEvents },
        createHeartbeat: async (fields) => {
          const res = await fetch(`${api.url}/api/v1/monitors`, {
            method: "POST",
            headers: { authorization: `Bearer ${session}`, "content-type": "application/json" },
            body: JSON.stringify({ type: "heartbeat", name: "job", heartbeat_grace_minutes: 0, ...fields }),
          });
          // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
          const body: any = await res.json();
          expect(res.status, JSON.stringify(body)).toBe(201);
          return { id: body.id, token: body.heartbeat_token };
        },
        ping: async (path) => {
          const res = await fetch(`${api.url}/api/heartbeat/${path}`);
          expect(res.status, await res.text()).toBe(200);
        },
        expectDownOnTime: async (id, deadline, error) => {
          await waitFor(async () => (await downEvents(id)).length > 0, {
            timeoutMs: deadline.getTime() - Date.now() + 10_000,
            what: `${error} → down`,
          });
          const [event] = await downEvents(id);
          expect(event!.tick).toEqual(deadline);
          expect(event!.cause).toMatchObject({ error });
          const lateness = event!.createdAt.getTime() - deadline.getTime();
          expect(lateness).toBeGreaterThanOrEqual(0);
          expect(lateness).toBeLessThan(PRECISION_MS);
          expect((await row(id)).status).toBe("down");
        },
        incidentOf: async (id) => {
          await waitFor(async () => (await db.incident.count({ where: { monitorId: id } })) > 0, {
            timeoutMs: 10_000,
            what: "an incident",
          });
          return db.incident.findMany({ where: { monitorId: id } });
        },
      });
      await api.stop("SIGKILL");
    },
    { scope: "file" },
  ],
});

describe("heartbeat pings through the API process", () => {
  it.concurrent("every signal, overlapping runs, a 10 MB body and the refusals", async ({ cron }) => {
    const { db, api, createHeartbeat, ping, row, downEvents } = cron;
    const hb = await createHeartbeat({ interval_seconds: 3_600, heartbeat_min_runtime_seconds: 1 });
    const send = (path: string, init: RequestInit = {}) => fetch(`${api.url}/api/heartbeat/${path}`, init);
    await ping(`${hb.token}/start?rid=a`);
    await ping(`${hb.token}/start?rid=b`);
    // Run b outlasts the 1 s minimum (1.1 s) from its start as stored, however long the ping itself took.
    const { startedAt } = await db.heartbeatRun.findFirstOrThrow({ where: { monitorId: hb.id, rid: "b" } });
    await waitFor(() => Date.now() - startedAt.getTime() >= 1_100, { what: "1.1 s of run b" });
    await ping(`${hb.token}/0?rid=b`);
    const huge = await send(`${hb.token}?rid=a`, { method: "POST", body: Buffer.alloc(10 * 1024 * 1024, "z") });
    expect(huge.status).toBe(200);
    expect((await row(hb.id)).status).toBe("up");
    await ping(`${hb.token}/start`);
    await ping(hb.token); // well under the 1 s minimum
    expect((await downEvents(hb.id))[0]!.cause).toMatchObject({ error: "run too short" });
    await ping(`${hb.token}/0`);
    await ping(`${hb.token}/fail`);
    await ping(hb.token);
    await ping(`${hb.token}/42`);
    const pings = await db.heartbeatPing.findMany({ where: { monitorId: hb.id }, orderBy: { id: "asc" } });
    expect(pings.map((p) => [p.kind, p.exitCode, p.rid])).toEqual([
      ["start", null, "a"],
      ["start", null, "b"],
      ["success", 0, "b"],
      ["success", null, "a"],
      ["start", null, null],
      ["success", null, null],
      ["success", 0, null],
      ["fail", null, null],
      ["success", null, null],
      ["fail", 42, null],
    ]);
    expect(pings[2]!.durationMs).toBeGreaterThanOrEqual(1_100);
    expect(pings[3]!.durationMs).toBeGreaterThan(pings[2]!.durationMs!);
    expect(pings[3]!.body).toHaveLength(10 * 1024);
    expect((await downEvents(hb.id)).map((e) => (e.cause as { error: string }).error)).toEqual([
      "run too short",
      "fail",
      "exit code 42",
    ]);
    const refusals = await Promise.all([
      send("A".repeat(32)),
      send(`${hb.token}/256`),
      send(`${hb.token}/-1`),
      send(`${hb.token}/abc`),
      send(hb.token, { method: "PUT" }),
      send(hb.token, { method: "DELETE" }),
    ]);
    expect(refusals.map((r) => r.status)).toEqual([404, 400, 400, 400, 405, 405]);
    expect(await db.heartbeatPing.count({ where: { monitorId: hb.id } })).toBe(pings.length);
  });
});

describe("heartbeat deadlines on the real processes", () => {
  it.concurrent("silence past next expected + grace is down within 2 s, opens one incident, and a ping resolves it", async ({
    cron,
  }) => {
    const { db, createHeartbeat, ping, row, expectDownOnTime, incidentOf } = cron;
    const hb = await createHeartbeat({ interval_seconds: 10 });
    await ping(hb.token);
    const { heartbeatDeadlineAt, heartbeatLastPingAt } = await row(hb.id);
    expect(heartbeatDeadlineAt!.getTime()).toBe(heartbeatLastPingAt!.getTime() + 10_000);
    await expectDownOnTime(hb.id, heartbeatDeadlineAt!, "missed");
    const [incident] = await incidentOf(hb.id);
    expect(incident).toMatchObject({ status: "investigating", resolvedAt: null });

    await ping(hb.token);
    expect((await row(hb.id)).status).toBe("up");
    await waitFor(
      async () => (await db.incident.findUniqueOrThrow({ where: { id: incident!.id } })).resolvedAt !== null,
      {
        timeoutMs: 10_000,
        what: "the incident resolved",
      },
    );
    expect(await db.incident.count({ where: { monitorId: hb.id } })).toBe(1);
  });

  it.concurrent("a run past heartbeat_max_runtime_seconds is down within 2 s: run exceeded", async ({ cron }) => {
    const { db, createHeartbeat, ping, row, downEvents, expectDownOnTime, incidentOf } = cron;
    const hb = await createHeartbeat({ interval_seconds: 3_600, heartbeat_max_runtime_seconds: 2 });
    await ping(hb.token);
    await ping(`${hb.token}/start?rid=slow`);
    const { heartbeatDeadlineAt } = await row(hb.id);
    const [run] = await db.heartbeatRun.findMany({ where: { monitorId: hb.id } });
    expect(heartbeatDeadlineAt).toEqual(new Date(run!.startedAt.getTime() + 2_000));
    await expectDownOnTime(hb.id, heartbeatDeadlineAt!, "run exceeded");
    expect((await downEvents(hb.id))[0]!.cause).toMatchObject({ rid: "slow", max_runtime_seconds: 2 });
    await incidentOf(hb.id);
    // The run finishes late: its duration is measured, and the success brings the monitor up.
    await ping(`${hb.token}/0?rid=slow`);
    const finish = await db.heartbeatPing.findFirstOrThrow({ where: { monitorId: hb.id, exitCode: 0 } });
    expect(finish.durationMs).toBeGreaterThanOrEqual(2_000);
    expect((await row(hb.id)).status).toBe("up");
  });

  it.concurrent("a cron schedule in a non-UTC zone (UTC+05:45) is expected at its local time and missed on time", {
    timeout: 150_000,
  }, async ({ cron }) => {
    const { api, session, createHeartbeat, ping, row, expectDownOnTime } = cron;
    // A daily job at the next Kathmandu minute that leaves 10 s to create and ping it (the test waits for it).
    const due = new Date(Math.floor(Date.now() / 60_000) * 60_000 + (Date.now() % 60_000 > 50_000 ? 120_000 : 60_000));
    const local = new Date(due.getTime() + (5 * 60 + 45) * 60_000);
    const schedule = `${local.getUTCMinutes()} ${local.getUTCHours()} * * *`;
    const hb = await createHeartbeat({ heartbeat_schedule: schedule, heartbeat_timezone: "Asia/Kathmandu" });
    await ping(hb.token);
    const shown = await fetch(`${api.url}/api/v1/monitors/${hb.id}`, {
      headers: { authorization: `Bearer ${session}` },
    });
    expect(((await shown.json()) as { heartbeat_next_expected_at: string }).heartbeat_next_expected_at).toBe(
      due.toISOString(),
    );
    expect((await row(hb.id)).heartbeatDeadlineAt).toEqual(due);
    await expectDownOnTime(hb.id, due, "missed");
  });

  it.concurrent("pings and failures of a paused monitor alert on nothing", async ({ cron }) => {
    const { db, api, session, createHeartbeat, ping, downEvents } = cron;
    const [hb, twin] = await Promise.all([
      createHeartbeat({ interval_seconds: 10 }),
      createHeartbeat({ interval_seconds: 10 }),
    ]);
    await ping(hb.token);
    const paused = await fetch(`${api.url}/api/v1/monitors/${hb.id}/pause`, {
      method: "POST",
      headers: { authorization: `Bearer ${session}` },
    });
    expect(paused.status).toBe(200);
    await ping(`${hb.token}/fail`);
    // An unpaused twin pinged last: once its deadline is applied, the watcher is past the paused one's.
    await ping(twin.token);
    await waitFor(async () => (await downEvents(twin.id)).length > 0, {
      timeoutMs: 30_000,
      what: "the twin's missed deadline",
    });
    expect(await downEvents(hb.id)).toEqual([]);
    expect(await db.incident.count({ where: { monitorId: hb.id } })).toBe(0);
  });
});

describe("deadlines survive the alerter", () => {
  it("an alerter down across a deadline: the next ones apply it once (two alerters, one event, one incident)", {
    timeout: 120_000,
  }, async ({ cron, alerter, apps }) => {
    const { services, redis, createHeartbeat, ping, row, downEvents, incidentOf, db } = cron;
    await alerter.stop("SIGTERM");
    const hb = await createHeartbeat({ interval_seconds: 10 });
    await ping(hb.token);
    const { heartbeatDeadlineAt } = await row(hb.id);
    await waitFor(() => Date.now() > heartbeatDeadlineAt!.getTime() + 1_000, {
      timeoutMs: 15_000,
      what: "the deadline",
    });
    expect(await downEvents(hb.id)).toEqual([]);
    // Nothing of it lives in Redis: emptying the prefix changes nothing.
    await redis.cleanup();
    await Promise.all([apps.start(alerterApp(services)), apps.start(alerterApp(services))]);
    await incidentOf(hb.id);
    const events = await downEvents(hb.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.tick).toEqual(heartbeatDeadlineAt);
    expect(await db.incident.count({ where: { monitorId: hb.id } })).toBe(1);
  });
});

describe("pings across two API instances", () => {
  it("each instance sees the other's runs and state, and one killed mid-load loses no answered ping", {
    timeout: 120_000,
  }, async ({ cron, apps }) => {
    const { api, services, createHeartbeat, db } = cron;
    const other = await apps.start(apiApp(services));
    const jobs = await Promise.all(Array.from({ length: 10 }, () => createHeartbeat({ interval_seconds: 3_600 })));
    /** `<monitor> <kind>:<rid>` of every ping answered 200. */
    const answered: string[] = [];
    let killed = false;
    const send = async (url: string, job: { id: string; token: string }, kind: "start" | "success", rid: string) => {
      const path = kind === "start" ? "/start" : "";
      const res = await fetch(`${url}/api/heartbeat/${job.token}${path}?rid=${rid}`).catch(() => null);
      if (res?.status === 200) answered.push(`${job.id} ${kind}:${rid}`);
      // Only the instance being killed may leave a ping unanswered.
      else if (!killed || url === api.url) throw new Error(`${kind} ${rid} on ${url}: ${res?.status ?? "no answer"}`);
      return res?.status === 200;
    };
    /** Runs of every job: /start on one instance, its finish on the other, which holds a state the first changed. */
    const rounds = async (from: number, count: number, urls: () => [string, string]) => {
      for (let n = from; n < from + count; n++) {
        await Promise.all(
          jobs.map(async (job, i) => {
            const [first, second] = i % 2 ? urls() : [...urls()].reverse();
            if (await send(first!, job, "start", `r${n}`)) await send(second!, job, "success", `r${n}`);
          }),
        );
      }
    };
    await rounds(0, 10, () => [api.url, other.url]);
    // Killed while its batches are in flight: what it answered is stored, the rest may be or not.
    const killing = waitFor(() => answered.some((key) => key.endsWith(":r11")), { what: "round 11" }).then(() => {
      killed = true;
      return other.stop("SIGKILL");
    });
    await rounds(10, 10, () => [api.url, killed ? api.url : other.url]);
    await killing;
    await rounds(20, 5, () => [api.url, api.url]);

    const pings = await db.heartbeatPing.findMany({
      where: { monitorId: { in: jobs.map((job) => job.id) } },
      select: { monitorId: true, kind: true, rid: true, durationMs: true },
    });
    const stored = pings.map((p) => `${p.monitorId} ${p.kind}:${p.rid}`);
    expect(new Set(stored).size, "a ping stored twice").toBe(stored.length);
    expect(
      answered.filter((key) => !stored.includes(key)),
      "answered, not stored",
    ).toEqual([]);
    expect(answered.length).toBeGreaterThan(jobs.length * 2 * 20);
    // Every finish whose /start is stored found that run, whichever instance took each.
    const starts = new Set(stored.filter((key) => key.includes(" start:")));
    for (const finish of pings.filter((p) => p.kind === "success")) {
      if (starts.has(`${finish.monitorId} start:${finish.rid}`)) expect(finish.durationMs, finish.rid!).not.toBeNull();
    }
    expect(
      await db.heartbeatRun.count({ where: { monitorId: { in: jobs.map((job) => job.id) }, finishedAt: null } }),
    ).toBeLessThanOrEqual(jobs.length);
    const rows = await db.monitor.findMany({ where: { id: { in: jobs.map((job) => job.id) } } });
    expect(rows.map((r) => r.status)).toEqual(jobs.map(() => "up"));
    expect(await db.monitorEvent.count({ where: { monitorId: { in: jobs.map((job) => job.id) } } })).toBe(0);
  });
});
