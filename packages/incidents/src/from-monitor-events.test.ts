import type { Db } from "@upfleet/db";
import { describe, expect } from "vitest";
import { processMonitorEvents, RECOVERED_MESSAGE } from "./from-monitor-events.ts";
import { createIncident } from "./service.ts";
import { it as base } from "./test-support.ts";
import { acknowledgeIncident } from "./transitions.ts";

const T0 = Date.now() - 60 * 60_000;
const MINUTE = 60_000;

/** Consumes until nothing is left, as the alerter's loop does. */
async function drain(db: Db) {
  const total = { processed: 0, opened: 0, resolved: 0 };
  for (;;) {
    const report = await processMonitorEvents(db);
    if (report.processed === 0) return total;
    total.processed += report.processed;
    total.opened += report.opened;
    total.resolved += report.resolved;
  }
}

const incidentsOf = (db: Db, monitorId: string) =>
  db.incident.findMany({
    where: { monitorId },
    include: { updates: { orderBy: { createdAt: "asc" } }, events: { orderBy: { id: "asc" } } },
    orderBy: { id: "asc" },
  });

/**
 * The seeds (`monitor`, `event`) and the file's helpers on its database, in one fixture: `drain`
 * consumes every event, `incidentsOf` reads a monitor's incidents with their updates and events,
 * `snapshot` is everything the consumer can write for a monitor (to show a step changed nothing),
 * `actor` a person of the organization and `maintenance` a window for one monitor.
 */
const it = base.extend<{
  t: {
    db: Db;
    monitor: (fields?: { paused?: boolean; deletedAt?: Date }) => Promise<string>;
    event: (
      monitorId: string,
      type: "monitor.down" | "monitor.up" | "monitor.degraded",
      tick: number,
    ) => Promise<string>;
    drain: () => ReturnType<typeof drain>;
    incidentsOf: (monitorId: string) => ReturnType<typeof incidentsOf>;
    snapshot: (monitorId: string) => Promise<string>;
    actor: { organizationId: string; userId: string };
    maintenance: (monitorId: string, from: number, to: number) => Promise<unknown>;
  };
}>({
  t: async ({ db, organizationId, monitor, event }, use) =>
    use({
      db,
      monitor,
      event,
      drain: () => drain(db),
      incidentsOf: (monitorId) => incidentsOf(db, monitorId),
      snapshot: async (monitorId) => {
        const incidents = await incidentsOf(db, monitorId);
        return JSON.stringify(incidents.map(({ updatedAt: _, ...rest }) => rest));
      },
      actor: { organizationId, userId: "usr_someone" },
      maintenance: (monitorId, from, to) =>
        db.maintenanceWindow.create({
          data: {
            id: `mnt_${monitorId}`,
            organizationId,
            name: "upgrade",
            monitorIds: [monitorId],
            startsAt: new Date(from),
            endsAt: new Date(to),
          },
        }),
    }),
});

describe("incidents from monitor state changes", () => {
  it("opens exactly one incident for an outage, with its cause, and marks the event processed", async ({ t }) => {
    const { db, monitor, event, drain, incidentsOf } = t;
    const monitorId = await monitor();
    const eventId = await event(monitorId, "monitor.down", T0);
    expect(await drain()).toMatchObject({ processed: 1, opened: 1 });
    const [incident, ...others] = await incidentsOf(monitorId);
    expect(others).toHaveLength(0);
    expect(incident).toMatchObject({
      title: expect.stringMatching(/ is down$/),
      status: "investigating",
      sourceEventId: eventId,
      openMonitorId: monitorId,
      startedAt: new Date(T0),
      acknowledgedAt: null,
      resolvedAt: null,
      cause: expect.objectContaining({ http_status: 503, failing_regions: ["eu-west", "us-east"] }),
    });
    expect(incident!.updates.map((u) => [u.status, u.message])).toEqual([
      ["investigating", "Down: status, HTTP 503 (failing in eu-west, us-east)"],
    ]);
    expect(incident!.events.map((e) => e.type)).toEqual(["incident.created"]);
    expect(incident!.events[0]!.payload).toMatchObject({
      event: "incident.created",
      actor: "system",
      incident: { id: incident!.id, monitor_id: monitorId, status: "investigating" },
    });
    expect((await db.monitorEvent.findUniqueOrThrow({ where: { id: eventId } })).processedAt).not.toBeNull();
  });

  it("changes nothing when the same event is processed again", async ({ t }) => {
    const { db, monitor, event, drain, snapshot } = t;
    const monitorId = await monitor();
    const down = await event(monitorId, "monitor.down", T0);
    await drain();
    const before = await snapshot(monitorId);
    // As if a consumer died after its work committed but before it knew: the event comes back.
    await db.monitorEvent.update({ where: { id: down }, data: { processedAt: null } });
    expect(await drain()).toMatchObject({ processed: 1, opened: 0, resolved: 0 });
    expect(await snapshot(monitorId)).toBe(before);

    const up = await event(monitorId, "monitor.up", T0 + MINUTE);
    await drain();
    const resolved = await snapshot(monitorId);
    await db.monitorEvent.updateMany({ where: { id: { in: [down, up] } }, data: { processedAt: null } });
    expect(await drain()).toMatchObject({ processed: 2, opened: 0, resolved: 0 });
    expect(await snapshot(monitorId)).toBe(resolved);
  });

  it("resolves and acknowledges the incident on recovery, with a Recovered entry", async ({ t }) => {
    const { monitor, event, drain, incidentsOf } = t;
    const monitorId = await monitor();
    await event(monitorId, "monitor.down", T0);
    await event(monitorId, "monitor.up", T0 + 3 * MINUTE);
    expect(await drain()).toMatchObject({ processed: 2, opened: 1, resolved: 1 });
    const [incident, ...others] = await incidentsOf(monitorId);
    expect(others).toHaveLength(0);
    expect(incident).toMatchObject({
      status: "resolved",
      openMonitorId: null,
      resolvedAt: new Date(T0 + 3 * MINUTE),
      acknowledgedAt: new Date(T0 + 3 * MINUTE),
      acknowledgedBy: "system",
    });
    expect(incident!.updates.map((u) => [u.status, u.message])).toEqual([
      ["investigating", expect.stringMatching(/^Down/)],
      ["resolved", RECOVERED_MESSAGE],
    ]);
    expect(incident!.events.map((e) => e.type)).toEqual(["incident.created", "incident.resolved"]);
  });

  it("keeps a person's acknowledgement when recovery resolves the incident", async ({ t }) => {
    const { db, monitor, event, drain, incidentsOf, actor } = t;
    const monitorId = await monitor();
    await event(monitorId, "monitor.down", T0);
    await drain();
    const [open] = await incidentsOf(monitorId);
    const acked = await acknowledgeIncident(db, actor, open!.id);
    await event(monitorId, "monitor.up", T0 + MINUTE);
    await drain();
    const [incident] = await incidentsOf(monitorId);
    expect(incident).toMatchObject({ status: "resolved", acknowledgedBy: "usr_someone" });
    expect(incident!.acknowledgedAt!.toISOString()).toBe(acked.acknowledged_at);
  });

  it("opens a new incident for the next outage, never two at once", async ({ t }) => {
    const { monitor, event, drain, incidentsOf } = t;
    const monitorId = await monitor();
    await event(monitorId, "monitor.down", T0);
    // A second down without a recovery between (never written by the pipeline, but it must not matter).
    await event(monitorId, "monitor.down", T0 + MINUTE);
    await event(monitorId, "monitor.up", T0 + 2 * MINUTE);
    await event(monitorId, "monitor.degraded", T0 + 3 * MINUTE);
    await event(monitorId, "monitor.down", T0 + 4 * MINUTE);
    expect(await drain()).toMatchObject({ processed: 5, opened: 2, resolved: 1 });
    const incidents = await incidentsOf(monitorId);
    expect(incidents.map((i) => [i.status, i.startedAt.getTime()])).toEqual([
      ["resolved", T0],
      ["investigating", T0 + 4 * MINUTE],
    ]);
  });

  it("opens nothing for paused or deleted monitors, and still consumes their events", async ({ t }) => {
    const { db, monitor, event, drain } = t;
    const paused = await monitor({ paused: true });
    const deleted = await monitor({ deletedAt: new Date() });
    const events = [await event(paused, "monitor.down", T0), await event(deleted, "monitor.down", T0)];
    expect(await drain()).toMatchObject({ processed: 2, opened: 0 });
    expect(await db.incident.count({ where: { monitorId: { in: [paused, deleted] } } })).toBe(0);
    expect(await db.monitorEvent.count({ where: { id: { in: events }, processedAt: null } })).toBe(0);
  });

  it("opens nothing for a monitor deleted while its down event is applied", async ({ t }) => {
    const { db, monitor, event, drain } = t;
    const monitorId = await monitor();
    await event(monitorId, "monitor.down", T0);
    // A delete in progress: the monitor row locked and marked, not committed until `release`.
    let release = () => {};
    let marked = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const isMarked = new Promise<void>((resolve) => {
      marked = resolve;
    });
    const deleting = db.$transaction(
      async (tx) => {
        await tx.monitor.update({ where: { id: monitorId }, data: { deletedAt: new Date() } });
        marked();
        await held;
      },
      { timeout: 30_000 },
    );
    await isMarked;
    const draining = drain();
    const waitsOnLock = async () => {
      for (;;) {
        const [row] = await db.$queryRaw<{ n: bigint }[]>`
          SELECT count(*) AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`;
        if (Number(row?.n) > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    // Without the share lock the consumer would not wait at all, and open an incident.
    await Promise.race([waitsOnLock(), draining]);
    release();
    await deleting;
    expect(await draining).toMatchObject({ processed: 1, opened: 0 });
    expect(await db.incident.count({ where: { monitorId } })).toBe(0);
  });

  it("leaves an incident opened by hand to people: the outage opens none, recovery closes none", async ({ t }) => {
    const { db, monitor, event, drain, incidentsOf, actor } = t;
    const monitorId = await monitor();
    const manual = await createIncident(db, actor, { monitor_id: monitorId, title: "Slow checkout" });
    await event(monitorId, "monitor.down", T0);
    await event(monitorId, "monitor.up", T0 + MINUTE);
    expect(await drain()).toMatchObject({ processed: 2, opened: 0, resolved: 0 });
    const incidents = await incidentsOf(monitorId);
    expect(incidents.map((i) => [i.id, i.status])).toEqual([[manual.id, "investigating"]]);
  });

  it("applies each monitor's changes once and in order with several consumers at once", async ({ t }) => {
    const { db, monitor, event, drain, incidentsOf } = t;
    const monitors = await Promise.all(Array.from({ length: 20 }, () => monitor()));
    for (const monitorId of monitors) {
      await event(monitorId, "monitor.down", T0);
      await event(monitorId, "monitor.up", T0 + MINUTE);
      await event(monitorId, "monitor.down", T0 + 2 * MINUTE);
    }
    const consumer = async () => {
      for (;;) if ((await processMonitorEvents(db, 7)).processed === 0) return;
    };
    await Promise.all([consumer(), consumer(), consumer()]);
    await drain();
    for (const monitorId of monitors) {
      const incidents = await incidentsOf(monitorId);
      expect(incidents.map((i) => [i.status, i.startedAt.getTime()])).toEqual([
        ["resolved", T0],
        ["investigating", T0 + 2 * MINUTE],
      ]);
    }
  });
});

describe("incidents and maintenance windows", () => {
  it("opens nothing for an outage in a window of its monitor, and still consumes the event", async ({ t }) => {
    const { db, monitor, event, drain, incidentsOf, maintenance } = t;
    const monitorId = await monitor();
    const other = await monitor();
    await maintenance(monitorId, T0, T0 + 10 * MINUTE);
    const held = await event(monitorId, "monitor.down", T0 + 5 * MINUTE);
    await event(other, "monitor.down", T0 + 5 * MINUTE);
    expect(await drain()).toMatchObject({ processed: 2, opened: 1 });
    expect(await incidentsOf(monitorId)).toEqual([]);
    expect(await incidentsOf(other)).toHaveLength(1);
    expect((await db.monitorEvent.findUniqueOrThrow({ where: { id: held } })).processedAt).not.toBeNull();
    // After the window, an outage opens one as usual.
    await event(monitorId, "monitor.up", T0 + 6 * MINUTE);
    await event(monitorId, "monitor.down", T0 + 10 * MINUTE);
    expect(await drain()).toMatchObject({ processed: 2, opened: 1, resolved: 0 });
    expect((await incidentsOf(monitorId)).map((i) => i.startedAt.getTime())).toEqual([T0 + 10 * MINUTE]);
  });

  it("resolves an incident opened before the window when the monitor recovers in it", async ({ t }) => {
    const { monitor, event, drain, incidentsOf, maintenance } = t;
    const monitorId = await monitor();
    await maintenance(monitorId, T0 + MINUTE, T0 + 10 * MINUTE);
    await event(monitorId, "monitor.down", T0);
    await event(monitorId, "monitor.up", T0 + 2 * MINUTE);
    expect(await drain()).toMatchObject({ processed: 2, opened: 1, resolved: 1 });
    expect((await incidentsOf(monitorId)).map((i) => i.status)).toEqual(["resolved"]);
  });
});
