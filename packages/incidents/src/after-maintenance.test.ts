import type { Db } from "@upfleet/db";
import { describe, expect } from "vitest";
import { downAfterMaintenance, downAfterWindowChange, STILL_DOWN_ERROR } from "./after-maintenance.ts";
import { processMonitorEvents } from "./from-monitor-events.ts";
import { it as base } from "./test-support.ts";
import { resolveIncident } from "./transitions.ts";

const MINUTE = 60_000;
/** Each test has its own hour, so the windows of one never end in another's look. */
let hour = Date.now() - 48 * 60 * MINUTE;
const nextHour = () => (hour += 60 * MINUTE);

async function drain(db: Db) {
  while ((await processMonitorEvents(db)).processed > 0);
}

const incidentsOf = (db: Db, monitorId: string) =>
  db.incident.findMany({ where: { monitorId }, orderBy: { id: "asc" } });

/**
 * `window` writes a maintenance window of the file's organization; `downAt` a monitor that went down
 * at `at` (its event applied), as the results ingest leaves it.
 */
const it = base.extend<{
  window: (monitorIds: string[], from: number, to: number) => Promise<string>;
  downAt: (at: number, fields?: { paused?: boolean }) => Promise<string>;
}>({
  window: async ({ db, organizationId }, use) =>
    use(async (monitorIds, from, to) => {
      const id = `mnt_${from}_${monitorIds.length}_${Math.random().toString(36).slice(2, 8)}`;
      await db.maintenanceWindow.create({
        data: { id, organizationId, name: "upgrade", monitorIds, startsAt: new Date(from), endsAt: new Date(to) },
      });
      return id;
    }),
  downAt: async ({ db, monitor, event }, use) =>
    use(async (at, fields = {}) => {
      const monitorId = await monitor(fields);
      await event(monitorId, "monitor.down", at);
      await db.monitor.update({ where: { id: monitorId }, data: { status: "down" } });
      return monitorId;
    }),
});

describe("downAfterMaintenance", () => {
  it("opens one incident, at the window's end, for a monitor that went down in it and is still down", async ({
    db,
    organizationId,
    window,
    downAt,
  }) => {
    const t = nextHour();
    const monitorId = await downAt(t + 5 * MINUTE);
    const windowId = await window([monitorId], t, t + 10 * MINUTE);
    await drain(db);
    expect(await incidentsOf(db, monitorId)).toEqual([]);

    expect(await downAfterMaintenance(db, new Date(t), new Date(t + 10 * MINUTE - 1))).toBe(0);
    expect(await downAfterMaintenance(db, new Date(t), new Date(t + 11 * MINUTE))).toBe(1);
    // Another alerter, or the same after a restart, looking at the same end.
    expect(await downAfterMaintenance(db, new Date(t), new Date(t + 11 * MINUTE))).toBe(0);
    const event = await db.monitorEvent.findFirstOrThrow({ where: { monitorId, tick: new Date(t + 10 * MINUTE) } });
    expect(event).toMatchObject({ type: "monitor.down", fromStatus: "down", toStatus: "down" });
    expect(event.cause).toEqual({ error: STILL_DOWN_ERROR, maintenance_window_id: windowId });
    await drain(db);
    const [incident, ...others] = await incidentsOf(db, monitorId);
    expect(others).toEqual([]);
    expect(incident).toMatchObject({ startedAt: new Date(t + 10 * MINUTE), sourceEventId: event.id });

    // Resolved by a person while the monitor is still down: a later look opens nothing again.
    await resolveIncident(db, { organizationId, userId: "usr_someone" }, incident!.id, {});
    await db.monitorEvent.delete({ where: { id: event.id } });
    expect(await downAfterMaintenance(db, new Date(t), new Date(t + 30 * MINUTE))).toBe(0);
  });

  it("leaves monitors that are up, paused, still in another window, already in an incident, or changed since", async ({
    db,
    monitor,
    event,
    window,
    downAt,
  }) => {
    const t = nextHour();
    const end = t + 10 * MINUTE;
    const up = await monitor();
    const paused = await downAt(t + MINUTE, { paused: true });
    const covered = await downAt(t + MINUTE);
    const known = await downAt(t - MINUTE);
    const later = await downAt(t + MINUTE);
    await window([up, paused, covered, known, later], t, end);
    await window([covered], end - MINUTE, end + 5 * MINUTE);
    await drain(db);
    expect((await incidentsOf(db, known)).length).toBe(1);
    await event(later, "monitor.up", end + MINUTE);
    await event(later, "monitor.down", end + 2 * MINUTE);
    expect(await downAfterMaintenance(db, new Date(t), new Date(end + 3 * MINUTE))).toBe(0);
    // The covering window's end is the one that opens it.
    expect(await downAfterMaintenance(db, new Date(end + 3 * MINUTE), new Date(end + 5 * MINUTE))).toBe(1);
    expect(await db.monitorEvent.count({ where: { monitorId: covered, tick: new Date(end + 5 * MINUTE) } })).toBe(1);
  });
});

describe("downAfterWindowChange", () => {
  it("opens the incident now when the window holding a down monitor is deleted early, once", async ({
    db,
    window,
    downAt,
  }) => {
    const now = Date.now();
    const monitorId = await downAt(now - 5 * MINUTE);
    const windowId = await window([monitorId], now - 10 * MINUTE, now + 60 * MINUTE);
    await drain(db);
    expect(await incidentsOf(db, monitorId)).toEqual([]);

    // Still in the window: nothing yet.
    expect(await downAfterWindowChange(db, windowId, [monitorId])).toBe(0);
    await db.maintenanceWindow.delete({ where: { id: windowId } });
    const at = new Date();
    expect(await downAfterWindowChange(db, windowId, [monitorId], at)).toBe(1);
    expect(await downAfterWindowChange(db, windowId, [monitorId], at)).toBe(0);
    await drain(db);
    const [incident, ...others] = await incidentsOf(db, monitorId);
    expect(others).toEqual([]);
    expect(incident).toMatchObject({ startedAt: at });
    // A later change (another window edited) finds the outage known.
    expect(await downAfterWindowChange(db, windowId, [monitorId])).toBe(0);
  });
});
