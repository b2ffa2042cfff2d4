import { IncidentOpener, MaintenanceEndWatcher } from "@upfleet/alerting";
import type { Db, Prisma } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import { STILL_DOWN_ERROR } from "@upfleet/incidents";
import { createLogger } from "@upfleet/logger";
import { TYPE_DEFAULTS } from "@upfleet/monitors";
import { maintenanceWindowRow, stateChangeRow, waitFor } from "@upfleet/testing";
import { Registry } from "prom-client";
import { describe, expect } from "vitest";
import { DeadlineWatcher } from "../src/heartbeat-deadlines.ts";
import { type ProbeTargets, WorkProbe } from "../src/work-probe.ts";
import { alerterApp, apiApp, it as base } from "./support.ts";

/**
 * The work probe wakes the consumers of work other processes write (the API's pings and incident
 * changes, other alerters): every consumer here polls far beyond the waits, and the probe itself
 * sweeps only every 10 minutes unless a test says otherwise, so only the database's notifications
 * (or, where a test says so, the probe's sweep or its catch-up after a dropped LISTEN) can make these
 * tests pass.
 */

const logger = createLogger("test", "silent");
const NEVER_MS = 600_000;
/** A notification and a pass, plus a margin for a busy machine. */
const PROMPTLY_MS = 3_000;

type StartProbe = (targets: Partial<ProbeTargets>, options?: { sweepMs?: number }) => WorkProbe;

const it = base.extend<{ startProbe: StartProbe }>({
  startProbe: async ({ db, database }, use) => {
    const probes: WorkProbe[] = [];
    await use((targets, options = {}) => {
      const noop = () => {};
      const probe = new WorkProbe(
        db,
        database.url,
        logger,
        { unapplied: noop, unrouted: noop, deadline: noop, windowsChanged: noop, outboxPending: noop, ...targets },
        { sweepMs: options.sweepMs ?? NEVER_MS },
      );
      probe.start();
      probes.push(probe);
      return probe;
    });
    await Promise.all(probes.map((p) => p.stop()));
  },
});

/** The probe's LISTEN backend, once it listens. */
async function listenerPid(db: Db): Promise<number> {
  return waitFor(
    async () =>
      (
        await db.$queryRaw<{ pid: number }[]>`
          SELECT pid FROM pg_stat_activity
          WHERE datname = current_database() AND query LIKE 'LISTEN %' AND state = 'idle'`
      )[0]?.pid,
    { timeoutMs: PROMPTLY_MS, what: "the probe listening" },
  );
}

/** Writes a monitor.down as another process would, but with the triggers off: its notification is never sent. */
async function writeUnannounced(db: Db, organizationId: string, monitorId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`SET LOCAL session_replication_role = replica`;
    await tx.monitorEvent.create({ data: stateChangeRow(organizationId, monitorId, "monitor.down", new Date()) });
  });
}

describe("the work probe", () => {
  it("wakes the incident opener for a state change another process wrote", async ({ db, httpMonitor, startProbe }) => {
    const opener = new IncidentOpener({ db, logger, metrics: new Registry() }, { pollMs: NEVER_MS });
    opener.start();
    try {
      startProbe({ unapplied: () => opener.wake() });
      // Past the opener's start pass: from here on, nothing but a wake-up runs it.
      await opener.run();
      const monitor = await httpMonitor("https://example.net/probe");
      await db.monitorEvent.create({
        data: stateChangeRow(monitor.organizationId, monitor.id, "monitor.down", new Date()),
      });
      await waitFor(async () => (await db.incident.count({ where: { monitorId: monitor.id } })) === 1, {
        timeoutMs: PROMPTLY_MS,
        what: "an incident, opened on the probe's wake-up",
      });
    } finally {
      await opener.stop();
    }
  });

  it("finds a state change whose notification was lost on its next sweep", async ({ db, httpMonitor, startProbe }) => {
    const opener = new IncidentOpener({ db, logger, metrics: new Registry() }, { pollMs: NEVER_MS });
    opener.start();
    try {
      const probe = startProbe({ unapplied: () => opener.wake() }, { sweepMs: 1_000 });
      await listenerPid(db);
      await Promise.all([probe.run(), opener.run()]);
      const monitor = await httpMonitor("https://example.net/lost");
      await writeUnannounced(db, monitor.organizationId, monitor.id);
      await waitFor(async () => (await db.incident.count({ where: { monitorId: monitor.id } })) === 1, {
        timeoutMs: 1_000 + PROMPTLY_MS,
        what: "an incident, opened on the sweep's wake-up",
      });
    } finally {
      await opener.stop();
    }
  });

  it("looks at once when its LISTEN connection is made again after a drop", async ({ db, httpMonitor, startProbe }) => {
    const opener = new IncidentOpener({ db, logger, metrics: new Registry() }, { pollMs: NEVER_MS });
    opener.start();
    try {
      const probe = startProbe({ unapplied: () => opener.wake() });
      const pid = await listenerPid(db);
      await Promise.all([probe.run(), opener.run()]);
      const monitor = await httpMonitor("https://example.net/dropped");
      await writeUnannounced(db, monitor.organizationId, monitor.id);
      // Unannounced and no sweep due: nothing finds it until the connection is dropped and made again.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await db.incident.count({ where: { monitorId: monitor.id } })).toBe(0);
      await db.$queryRaw`SELECT pg_terminate_backend(${pid}::int)`;
      await waitFor(async () => (await db.incident.count({ where: { monitorId: monitor.id } })) === 1, {
        timeoutMs: 1_000 + PROMPTLY_MS,
        what: "an incident, opened on the catch-up after listening again",
      });
      expect(await listenerPid(db)).not.toBe(pid);
    } finally {
      await opener.stop();
    }
  });

  it("asks for routing while an applied event waits for the fan-out", async ({ db, httpMonitor, startProbe }) => {
    const monitor = await httpMonitor("https://example.net/routing");
    const event = await db.monitorEvent.create({
      data: {
        ...stateChangeRow(monitor.organizationId, monitor.id, "monitor.down", new Date()),
        processedAt: new Date(),
      },
    });
    let asked = 0;
    startProbe({ unrouted: () => asked++ });
    await waitFor(() => asked > 0, { timeoutMs: PROMPTLY_MS, what: "a routing wake-up" });
    await db.monitorEvent.update({ where: { id: event.id }, data: { notifiedAt: new Date() } });
  });

  it("wakes the outbox sweepers on its sweeps, not on every notification, while rows wait for a job", async ({
    db,
    httpMonitor,
    startProbe,
  }) => {
    const monitor = await httpMonitor("https://example.net/outbox");
    const channelId = newId("channel");
    const config = { url: "https://example.net/hook", secret: "whsec_probe" };
    await db.notificationChannel.create({
      data: { id: channelId, organizationId: monitor.organizationId, name: "hook", type: "webhook", config },
    });
    const id = newId("notification");
    await db.notification.create({
      data: {
        id,
        organizationId: monitor.organizationId,
        channelId,
        dedupeKey: id,
        event: "monitor.down",
        payload: {},
      },
    });
    type Kinds = { delivery: boolean; export: boolean; escalation: boolean };
    const woken: Kinds[] = [];
    const probe = startProbe({ outboxPending: (kinds) => woken.push(kinds) });
    await waitFor(() => woken.length > 0, { timeoutMs: PROMPTLY_MS, what: "the first look's wake-up" });
    expect(woken).toEqual([{ delivery: true, export: false, escalation: false }]);
    // Notified of other work, it looks again but leaves the sweepers to its next sweep (10 minutes here).
    for (let i = 0; i < 3; i++) await probe.run();
    expect(woken).toHaveLength(1);
    // Swept every second, it wakes them on each sweep while the row waits.
    const sweeps: Kinds[] = [];
    startProbe({ outboxPending: (kinds) => sweeps.push(kinds) }, { sweepMs: 1_000 });
    await waitFor(() => sweeps.length >= 2, { timeoutMs: 1_000 + PROMPTLY_MS, what: "two sweeps' wake-ups" });
    await db.notification.update({ where: { id }, data: { status: "succeeded" } });
  });

  it("arms the deadline watcher for a deadline a ping moved earlier", async ({ db, httpMonitor, startProbe }) => {
    const watcher = new DeadlineWatcher({ db, logger, metrics: new Registry() }, { pollMs: NEVER_MS });
    watcher.start();
    try {
      // Past the watcher's start pass, which found no deadline: from here on, only armAt sets a timer.
      await watcher.run();
      startProbe({ deadline: (at) => watcher.armAt(at) });
      const deadline = new Date(Date.now() + 1_500);
      // Written as the API's ping batch writes it, after the watcher's start pass looked.
      const monitor = await httpMonitor("cron", {
        type: "heartbeat",
        settings: { ...TYPE_DEFAULTS.heartbeat } as Prisma.InputJsonValue,
        intervalSeconds: 3_600,
        heartbeatToken: newId("monitor"),
        status: "up",
        heartbeatLastPingAt: new Date(),
        heartbeatDeadlineAt: deadline,
      });
      const down = await waitFor(
        () => db.monitorEvent.findFirst({ where: { monitorId: monitor.id, type: "monitor.down" } }),
        { timeoutMs: 1_500 + PROMPTLY_MS, what: "the missed deadline applied" },
      );
      expect(down.tick).toEqual(deadline);
    } finally {
      await watcher.stop();
    }
  });
});

describe("the maintenance end watcher", () => {
  it("applies the end of a window written after its last look, woken by the probe", async ({
    db,
    httpMonitor,
    startProbe,
  }) => {
    const watcher = new MaintenanceEndWatcher({ db, logger, metrics: new Registry() }, { pollMs: NEVER_MS });
    watcher.start();
    try {
      await watcher.run();
      const monitor = await httpMonitor("https://example.net/maintained", { status: "down" });
      startProbe({ windowsChanged: () => watcher.windowsChanged() });
      const end = new Date(Date.now() + 1_500);
      await db.maintenanceWindow.create({
        data: maintenanceWindowRow(monitor.organizationId, [monitor.id], new Date(Date.now() - 1_000), end),
      });
      const down = await waitFor(
        () => db.monitorEvent.findFirst({ where: { monitorId: monitor.id, type: "monitor.down" } }),
        { timeoutMs: 1_500 + PROMPTLY_MS, what: "the monitor still down at the window's end" },
      );
      expect(down).toMatchObject({ tick: end, cause: expect.objectContaining({ error: STILL_DOWN_ERROR }) });
    } finally {
      await watcher.stop();
    }
  });

  it("looks again when a monitor turns out down just after a window's end it had already looked at", async ({
    db,
    httpMonitor,
    startProbe,
  }) => {
    const monitor = await httpMonitor("https://example.net/decided-late", { status: "up" });
    const end = new Date(Date.now() - 1_000);
    await db.maintenanceWindow.create({
      data: maintenanceWindowRow(monitor.organizationId, [monitor.id], new Date(end.getTime() - 60_000), end),
    });
    const watcher = new MaintenanceEndWatcher({ db, logger, metrics: new Registry() }, { pollMs: NEVER_MS });
    watcher.start();
    try {
      // The end is looked at while the monitor is still up: nothing to open yet.
      await watcher.run();
      expect(await db.monitorEvent.count({ where: { monitorId: monitor.id } })).toBe(0);
      // Another process decides the round of a tick inside the window: the monitor is down at its end.
      startProbe({ unapplied: () => watcher.stateChanged() });
      await db.$transaction([
        db.monitor.update({ where: { id: monitor.id }, data: { status: "down" } }),
        db.monitorEvent.create({
          data: stateChangeRow(monitor.organizationId, monitor.id, "monitor.down", new Date(end.getTime() - 5_000)),
        }),
      ]);
      const down = await waitFor(() => db.monitorEvent.findFirst({ where: { monitorId: monitor.id, tick: end } }), {
        timeoutMs: PROMPTLY_MS,
        what: "the monitor still down at the window's end",
      });
      expect(down).toMatchObject({ type: "monitor.down", cause: expect.objectContaining({ error: STILL_DOWN_ERROR }) });
    } finally {
      await watcher.stop();
    }
  });
});

describe("the work probe on real processes", () => {
  it("an API's failure ping opens its incident, and the API's acknowledgement is routed, within seconds", async ({
    db,
    services,
    apps,
  }) => {
    const api = await apps.start(apiApp(services));
    await apps.start(alerterApp(services));
    const call = async (method: string, path: string, token?: string, body?: unknown) => {
      const res = await fetch(`${api.url}${path}`, {
        method,
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
      const json: any = await res.json().catch(() => null);
      expect(res.ok, JSON.stringify(json)).toBe(true);
      return json;
    };
    const { token } = await call("POST", "/api/v1/auth/signup", undefined, {
      email: "probe@example.com",
      password: "correct horse battery",
      organization_name: "Probe",
    });
    const monitor = await call("POST", "/api/v1/monitors", token, {
      type: "heartbeat",
      name: "nightly",
      interval_seconds: 3_600,
    });
    // The alerter answers its readiness probe before its consumers start: wait until it listens.
    await listenerPid(db);
    // The incident consumers poll every 30 s: only the probe brings them the API's writes this soon.
    await fetch(`${api.url}/api/heartbeat/${monitor.heartbeat_token}/fail`).then((r) => r.text());
    const incident = await waitFor(() => db.incident.findFirst({ where: { monitorId: monitor.id } }), {
      timeoutMs: PROMPTLY_MS,
      what: "the incident of the failure ping",
    });
    await call("POST", `/api/v1/incidents/${incident.id}/acknowledge`, token);
    await waitFor(
      async () =>
        (await db.incidentEvent.count({
          where: { incidentId: incident.id, type: "incident.acknowledged", processedAt: { not: null } },
        })) === 1,
      { timeoutMs: PROMPTLY_MS, what: "the acknowledgement routed" },
    );
  });
});
