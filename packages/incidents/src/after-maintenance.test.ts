import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downAfterMaintenance, downAfterWindowChange, STILL_DOWN_ERROR } from "./after-maintenance.ts";
import { processMonitorEvents } from "./from-monitor-events.ts";
import { seed } from "./test-support.ts";
import { resolveIncident } from "./transitions.ts";

let s: Awaited<ReturnType<typeof seed>>;
beforeAll(async () => {
  s = await seed();
});
afterAll(() => s?.close());

const MINUTE = 60_000;
/** Each test has its own hour, so the windows of one never end in another's look. */
let hour = Date.now() - 48 * 60 * MINUTE;
const nextHour = () => (hour += 60 * MINUTE);

async function drain() {
  while ((await processMonitorEvents(s.db)).processed > 0);
}

async function window(monitorIds: string[], from: number, to: number) {
  const id = `mnt_${from}_${monitorIds.length}_${Math.random().toString(36).slice(2, 8)}`;
  await s.db.maintenanceWindow.create({
    data: {
      id,
      organizationId: s.organizationId,
      name: "upgrade",
      monitorIds,
      startsAt: new Date(from),
      endsAt: new Date(to),
    },
  });
  return id;
}

/** A monitor that went down at `at` (its event applied), as the results ingest leaves it. */
async function downAt(at: number, fields: { paused?: boolean } = {}) {
  const monitorId = await s.monitor(fields);
  await s.event(monitorId, "monitor.down", at);
  await s.db.monitor.update({ where: { id: monitorId }, data: { status: "down" } });
  return monitorId;
}

const incidentsOf = (monitorId: string) => s.db.incident.findMany({ where: { monitorId }, orderBy: { id: "asc" } });

describe("downAfterMaintenance", () => {
  it("opens one incident, at the window's end, for a monitor that went down in it and is still down", async () => {
    const t = nextHour();
    const monitorId = await downAt(t + 5 * MINUTE);
    const windowId = await window([monitorId], t, t + 10 * MINUTE);
    await drain();
    expect(await incidentsOf(monitorId)).toEqual([]);

    expect(await downAfterMaintenance(s.db, new Date(t), new Date(t + 10 * MINUTE - 1))).toBe(0);
    expect(await downAfterMaintenance(s.db, new Date(t), new Date(t + 11 * MINUTE))).toBe(1);
    // Another alerter, or the same after a restart, looking at the same end.
    expect(await downAfterMaintenance(s.db, new Date(t), new Date(t + 11 * MINUTE))).toBe(0);
    const event = await s.db.monitorEvent.findFirstOrThrow({ where: { monitorId, tick: new Date(t + 10 * MINUTE) } });
    expect(event).toMatchObject({ type: "monitor.down", fromStatus: "down", toStatus: "down" });
    expect(event.cause).toEqual({ error: STILL_DOWN_ERROR, maintenance_window_id: windowId });
    await drain();
    const [incident, ...others] = await incidentsOf(monitorId);
    expect(others).toEqual([]);
    expect(incident).toMatchObject({ startedAt: new Date(t + 10 * MINUTE), sourceEventId: event.id });

    // Resolved by a person while the monitor is still down: a later look opens nothing again.
    await resolveIncident(s.db, { organizationId: s.organizationId, userId: "usr_someone" }, incident!.id, {});
    await s.db.monitorEvent.delete({ where: { id: event.id } });
    expect(await downAfterMaintenance(s.db, new Date(t), new Date(t + 30 * MINUTE))).toBe(0);
  });

  it("leaves monitors that are up, paused, still in another window, already in an incident, or changed since", async () => {
    const t = nextHour();
    const end = t + 10 * MINUTE;
    const up = await s.monitor();
    const paused = await downAt(t + MINUTE, { paused: true });
    const covered = await downAt(t + MINUTE);
    const known = await downAt(t - MINUTE);
    const later = await downAt(t + MINUTE);
    await window([up, paused, covered, known, later], t, end);
    await window([covered], end - MINUTE, end + 5 * MINUTE);
    await drain();
    expect((await incidentsOf(known)).length).toBe(1);
    await s.event(later, "monitor.up", end + MINUTE);
    await s.event(later, "monitor.down", end + 2 * MINUTE);
    expect(await downAfterMaintenance(s.db, new Date(t), new Date(end + 3 * MINUTE))).toBe(0);
    // The covering window's end is the one that opens it.
    expect(await downAfterMaintenance(s.db, new Date(end + 3 * MINUTE), new Date(end + 5 * MINUTE))).toBe(1);
    expect(await s.db.monitorEvent.count({ where: { monitorId: covered, tick: new Date(end + 5 * MINUTE) } })).toBe(1);
  });
});

describe("downAfterWindowChange", () => {
  it("opens the incident now when the window holding a down monitor is deleted early, once", async () => {
    const now = Date.now();
    const monitorId = await downAt(now - 5 * MINUTE);
    const windowId = await window([monitorId], now - 10 * MINUTE, now + 60 * MINUTE);
    await drain();
    expect(await incidentsOf(monitorId)).toEqual([]);

    // Still in the window: nothing yet.
    expect(await downAfterWindowChange(s.db, windowId, [monitorId])).toBe(0);
    await s.db.maintenanceWindow.delete({ where: { id: windowId } });
    const at = new Date();
    expect(await downAfterWindowChange(s.db, windowId, [monitorId], at)).toBe(1);
    expect(await downAfterWindowChange(s.db, windowId, [monitorId], at)).toBe(0);
    await drain();
    const [incident, ...others] = await incidentsOf(monitorId);
    expect(others).toEqual([]);
    expect(incident).toMatchObject({ startedAt: at });
    // A later change (another window edited) finds the outage known.
    expect(await downAfterWindowChange(s.db, windowId, [monitorId])).toBe(0);
  });
});
