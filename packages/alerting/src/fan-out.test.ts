import type { Db } from "@upfleet/db";
import { acknowledgeIncident, createIncident, processMonitorEvents } from "@upfleet/incidents";
import { createLogger } from "@upfleet/logger";
import { JOBS } from "@upfleet/queue";
import { describe, expect } from "vitest";
import { fanOutOnce } from "./fan-out.ts";
import { fanOutIncidentEvents } from "./incident-events.ts";
import { fanOutMonitorEvents } from "./monitor-events.ts";
import { it } from "./test-support.ts";

const T0 = new Date(Date.now() - 30 * 60_000);
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

/** Both sources until nothing is left, as the alerter's loop does. */
async function drain(db: Db) {
  let processed = 0;
  for (;;) {
    const n = (await fanOutMonitorEvents(db)).processed + (await fanOutIncidentEvents(db)).processed;
    if (n === 0) return processed;
    processed += n;
  }
}

const notificationsOf = (db: Db, organizationId: string) =>
  db.notification.findMany({ where: { organizationId }, orderBy: [{ event: "asc" }, { channelId: "asc" }] });

describe("notification fan-out", () => {
  it("creates one notification per event × matching usable channel, with the API.md payload", async ({ db, t }) => {
    const monitorId = await t.monitor();
    const [a, b] = [await t.channel(), await t.channel()];
    const disabled = await t.channel({ enabled: false });
    const deleted = await t.channel({ deletedAt: new Date() });
    await t.rule({ events: ["monitor.down", "monitor.up"], channelIds: [a, disabled, deleted] });
    await t.rule({ tags: ["prod"], channelIds: [a, b] });
    await t.rule({ tags: ["staging"], channelIds: [disabled] });

    const down = await t.change(monitorId, "monitor.down", T0);
    await drain(db);
    const incident = await db.incident.findFirstOrThrow({ where: { monitorId } });
    const rows = await notificationsOf(db, t.organizationId);
    expect(rows.map((n) => [n.event, n.channelId])).toEqual(
      [
        ["incident.created", a],
        ["incident.created", b],
        ["monitor.down", a],
        ["monitor.down", b],
      ].sort(),
    );
    const toA = rows.find((n) => n.event === "monitor.down" && n.channelId === a)!;
    expect(toA).toMatchObject({ dedupeKey: `${down}:${a}`, incidentId: incident.id, monitorId, status: "pending" });
    expect(toA.payload).toEqual({
      event: "monitor.down",
      monitor: { id: monitorId, name: "Website", url: "https://example.com", type: "http" },
      status: { http_status: 503, response_ms: 80, error: "status", region: "local" },
      incident: { id: incident.id, status: "investigating" },
      timestamp: T0.toISOString(),
    });
    const created = rows.find((n) => n.event === "incident.created")!;
    expect(created.payload).toMatchObject({
      event: "incident.created",
      incident: { id: incident.id, title: "Website is down", actor: "system", update: { status: "investigating" } },
      status: { http_status: 503 },
    });

    await t.change(monitorId, "monitor.up", later(3));
    await drain(db);
    const after = await notificationsOf(db, t.organizationId);
    expect(after.filter((n) => n.event === "monitor.up").map((n) => n.channelId)).toEqual([a, b].sort());
    expect(after.find((n) => n.event === "monitor.up")!.payload).toMatchObject({
      incident: { id: incident.id, status: "resolved" },
    });
    expect(after.filter((n) => n.event === "incident.resolved")).toHaveLength(2);
  });

  it("takes only events the incident consumer applied, and creates nothing twice when one comes back", async ({
    db,
    t,
  }) => {
    const monitorId = await t.monitor();
    await t.rule({ channelIds: [await t.channel()] });
    const event = await db.monitorEvent.create({
      data: {
        id: `evt_pending_${monitorId}`,
        organizationId: t.organizationId,
        monitorId,
        type: "monitor.degraded",
        fromStatus: "up",
        toStatus: "degraded",
        tick: T0,
        cause: {},
      },
    });
    await drain(db);
    expect(await notificationsOf(db, t.organizationId)).toHaveLength(0);

    await db.monitorEvent.update({ where: { id: event.id }, data: { processedAt: new Date() } });
    await drain(db);
    const first = await notificationsOf(db, t.organizationId);
    expect(first).toHaveLength(1);
    // As if the alerter died after creating them, before knowing it had: both sources come back.
    await db.monitorEvent.update({ where: { id: event.id }, data: { notifiedAt: null } });
    await db.incidentEvent.updateMany({ where: { organizationId: t.organizationId }, data: { processedAt: null } });
    expect(await drain(db)).toBeGreaterThan(0);
    expect(await notificationsOf(db, t.organizationId)).toEqual(first);
  });

  it("notifies nothing for a paused monitor and leaves organizations to their own rules", async ({ db, t, tenant }) => {
    const other = await tenant();
    await other.rule({ channelIds: [await other.channel()] });
    const paused = await t.monitor({ paused: true });
    await t.rule({ channelIds: [await t.channel()] });
    await t.change(paused, "monitor.down", T0);
    await drain(db);
    expect(await notificationsOf(db, t.organizationId)).toHaveLength(0);
    expect(await notificationsOf(db, other.organizationId)).toHaveLength(0);
  });

  it("routes a day-old change without notifying it (a backlog, or history from before notifications)", async ({
    db,
    t,
  }) => {
    const monitorId = await t.monitor();
    await t.rule({ channelIds: [await t.channel()] });
    const old = await t.change(monitorId, "monitor.down", new Date(Date.now() - 25 * 3_600_000));
    await drain(db);
    expect((await db.monitorEvent.findUniqueOrThrow({ where: { id: old } })).notifiedAt).not.toBeNull();
    expect((await notificationsOf(db, t.organizationId)).map((n) => n.event)).toEqual(["incident.created"]);
  });

  it("creates each notification once with several consumers at once", async ({ db, t }) => {
    await t.rule({ channelIds: [await t.channel(), await t.channel()] });
    const monitors = await Promise.all(Array.from({ length: 12 }, () => t.monitor()));
    for (const monitorId of monitors) {
      await t.change(monitorId, "monitor.down", T0);
      await t.change(monitorId, "monitor.up", later(1));
    }
    const consumer = async () => {
      for (;;) {
        const n = (await fanOutMonitorEvents(db, 5)).processed + (await fanOutIncidentEvents(db, 5)).processed;
        if (n === 0) return;
      }
    };
    await Promise.all([consumer(), consumer(), consumer()]);
    // 12 monitors × (down, up, incident.created, incident.resolved) × 2 channels.
    const rows = await notificationsOf(db, t.organizationId);
    expect(rows).toHaveLength(12 * 4 * 2);
    expect(new Set(rows.map((r) => r.dedupeKey)).size).toBe(rows.length);
  });

  it("notifies a manual incident's changes to rules without monitor filters", async ({ db, t }) => {
    const all = await t.channel();
    const scoped = await t.channel();
    await t.rule({ events: ["incident.created", "incident.acknowledged"], channelIds: [all] });
    await t.rule({ tags: ["prod"], channelIds: [scoped] });
    const actor = { organizationId: t.organizationId, userId: "usr_1" };
    const incident = await createIncident(db, actor, { title: "Payments degraded" });
    await acknowledgeIncident(db, actor, incident.id);
    await drain(db);
    const rows = await notificationsOf(db, t.organizationId);
    expect(rows.map((r) => [r.event, r.channelId])).toEqual([
      ["incident.acknowledged", all],
      ["incident.created", all],
    ]);
    expect(rows[0]!.payload).toMatchObject({ monitor: null, incident: { id: incident.id, acknowledged_by: "usr_1" } });
  });
});

describe("notification fan-out and maintenance windows", () => {
  it("notifies nothing for monitor and incident events made in a window of their monitor", async ({ db, t }) => {
    const [before, inside] = [await t.monitor(), await t.monitor()];
    const channel = await t.channel();
    await t.rule({ channelIds: [channel] });
    await t.change(before, "monitor.down", later(1));
    await drain(db);
    expect((await notificationsOf(db, t.organizationId)).map((n) => n.event)).toEqual([
      "incident.created",
      "monitor.down",
    ]);

    await db.maintenanceWindow.create({
      data: {
        id: `mnt_${before}`,
        organizationId: t.organizationId,
        name: "upgrade",
        monitorIds: [before, inside],
        startsAt: later(5),
        endsAt: new Date(Date.now() + 60_000),
      },
    });
    const incident = await db.incident.findFirstOrThrow({ where: { monitorId: before } });
    await acknowledgeIncident(db, { organizationId: t.organizationId, userId: "usr_1" }, incident.id);
    const events = [await t.change(before, "monitor.up", later(6)), await t.change(inside, "monitor.down", later(6))];
    expect(await drain(db)).toBe(4);
    expect(await db.incident.findUniqueOrThrow({ where: { id: incident.id } })).toMatchObject({ status: "resolved" });
    expect(await db.incident.count({ where: { monitorId: inside } })).toBe(0);
    expect(await db.monitorEvent.count({ where: { id: { in: events }, notifiedAt: null } })).toBe(0);
    expect(await db.incidentEvent.count({ where: { incidentId: incident.id, processedAt: null } })).toBe(0);
    expect((await notificationsOf(db, t.organizationId)).map((n) => n.event)).toEqual([
      "incident.created",
      "monitor.down",
    ]);
  });
});

describe("ssl.expiring in a maintenance window", () => {
  it("is still notified: a warning sent once per threshold, not an outage to silence", async ({ db, t }) => {
    const monitorId = await t.monitor();
    const channel = await t.channel();
    await t.rule({ channelIds: [channel] });
    await db.maintenanceWindow.create({
      data: {
        id: `mnt_${monitorId}`,
        organizationId: t.organizationId,
        name: "nightly",
        monitorIds: [monitorId],
        startsAt: later(1),
        endsAt: new Date(Date.now() + 60_000),
      },
    });
    await db.monitorEvent.create({
      data: {
        id: `evt_ssl_${monitorId.slice(-8)}`,
        organizationId: t.organizationId,
        monitorId,
        type: "ssl.expiring",
        fromStatus: "up",
        toStatus: "up",
        tick: later(2),
        cause: { days_left: 6, threshold: 7, valid_to: "2026-12-31T00:00:00.000Z", fingerprint256: "AA" },
      },
    });
    // Taken by the incident consumer first (which opens nothing for it), as every monitor event is.
    while ((await processMonitorEvents(db)).processed > 0);
    await drain(db);
    expect((await notificationsOf(db, t.organizationId)).map((n) => n.event)).toEqual(["ssl.expiring"]);
  });
});

describe("fanOutOnce", () => {
  it("queues the first attempt of each new notification and the later steps of a started escalation", async ({
    db,
    t,
    queues,
  }) => {
    const [now, pager] = [await t.channel(), await t.channel()];
    const policy = await t.policy([
      { delay_minutes: 0, channel_ids: [now] },
      { delay_minutes: 60, channel_ids: [pager] },
    ]);
    const monitorId = await t.monitor({ escalationPolicyId: policy });
    await t.change(monitorId, "monitor.down", new Date());
    const logger = createLogger("test", "silent");
    let total = 0;
    for (;;) {
      const report = await fanOutOnce(db, queues, logger);
      if (report.processed === 0) break;
      total += report.notifications;
    }
    const rows = await notificationsOf(db, t.organizationId);
    // No rule: only the escalation's first step notifies.
    expect(rows.map((r) => [r.event, r.channelId, r.dedupeKey.split(":").slice(0, 4).join(":")])).toEqual([
      ["incident.created", now, `esc:${rows[0]!.incidentId}:${policy}:0`],
    ]);
    expect(rows[0]!.payload).toMatchObject({ escalation: { policy_id: policy, step: 1 } });
    expect(total).toBe(1);
    expect(
      await queues.deliveries.bull.getJob(JOBS.delivery.jobId({ notificationId: rows[0]!.id, attempt: 1 })),
    ).toBeTruthy();
    const step = await queues.escalations.bull.getJob(
      JOBS.escalation.jobId({ incidentId: rows[0]!.incidentId!, policyId: policy, step: 1 }),
    );
    expect(step?.data).toEqual({ incidentId: rows[0]!.incidentId, policyId: policy, step: 1 });
    expect(await step!.getState()).toBe("delayed");
    expect(
      await queues.escalations.bull.getJob(
        JOBS.escalation.jobId({ incidentId: rows[0]!.incidentId!, policyId: policy, step: 0 }),
      ),
    ).toBeUndefined();
  });
});
