import type { Db } from "@upfleet/db";
import { type IdKind, idAt, newId } from "@upfleet/ids";
import { monitorRow } from "@upfleet/testing";
import { test } from "@upfleet/testing/fixtures";
import { describe, expect } from "vitest";
import { ensureCheckPartitions, listCheckPartitions } from "./partitions.ts";
import { retentionPolicy, utcDay } from "./policy.ts";
import { runRetention } from "./retention.ts";

const DAY = 86_400_000;
const NOW = new Date();
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
/** An id as if made `days` ago: ids sort by creation time, which is what retention reads. */
const madeAgo = (kind: IdKind, days: number, n = 0) =>
  `${idAt(kind, ago(days)).slice(0, -6)}${n.toString(36).padStart(6, "0")}`;

const policy = retentionPolicy({
  RETENTION_CHECK_DAYS: 30,
  RETENTION_HOURLY_ROLLUP_DAYS: 90,
  RETENTION_DAILY_ROLLUP_DAYS: 730,
  RETENTION_PINGS_PER_MONITOR: 1000,
  RETENTION_PING_DAYS: 30,
  RETENTION_DELIVERY_DAYS: 30,
  RETENTION_EVENT_DAYS: 7,
  RETENTION_PLANS: { team: { hourly_rollup_days: 120, pings_per_monitor: 2000 } },
});

interface Seeded {
  free: string;
  team: string;
}

async function organization(db: Db, plan: string): Promise<string> {
  const id = newId("organization");
  await db.organization.create({ data: { id, name: plan, plan } });
  return id;
}

const it = test.extend<{ orgs: Seeded }>({
  orgs: async ({ db }, use) => use({ free: await organization(db, "free"), team: await organization(db, "team") }),
});

const rollup = (monitorId: string, span: number, daysAgo: number) => ({
  monitorId,
  span,
  bucket: new Date(Math.floor(ago(daysAgo).getTime() / (span * 1000)) * span * 1000),
  checks: 1,
  histogram: [],
});

describe("retention", () => {
  it("drops raw check days past the longest plan's retention, and rollups past each plan's", async ({ db, orgs }) => {
    const free = await db.monitor.create({ data: monitorRow(orgs.free) });
    const team = await db.monitor.create({ data: monitorRow(orgs.team) });
    await ensureCheckPartitions(db, ago(40), 0);
    await ensureCheckPartitions(db, ago(10), 0);
    for (const tick of [ago(40), ago(10)]) {
      await db.checkResult.create({
        data: { monitorSeq: free.seq, tick, checkedAt: tick, region: "local", status: "up" },
      });
    }
    await db.checkRollup.createMany({
      data: [
        rollup(free.id, 3600, 100),
        rollup(free.id, 3600, 80),
        rollup(free.id, 86_400, 800),
        rollup(free.id, 86_400, 700),
        rollup(team.id, 3600, 100),
        rollup(team.id, 3600, 130),
      ],
    });

    const report = await runRetention(db, policy, { now: NOW });

    expect(report.partitionsDropped).toContain(
      `check_results_${ago(40).toISOString().slice(0, 10).replaceAll("-", "")}`,
    );
    // Days wholly before the edge of raw history (midnight UTC 30 days back) are all gone.
    const edge = utcDay(ago(30)).getTime();
    expect((await listCheckPartitions(db)).filter((p) => p.day.getTime() + DAY <= edge)).toEqual([]);
    const ticks = await db.checkResult.findMany({ where: { monitorSeq: free.seq } });
    expect(ticks.map((r) => r.tick)).toEqual([ago(10)]);
    const left = await db.checkRollup.findMany({ orderBy: [{ monitorId: "asc" }, { bucket: "asc" }] });
    // Whole days: a bucket starts up to a span before the instant it was made for, so rounding read
    // the daily rollup made 700 days ago as 701 whenever the test ran after noon UTC.
    const kept = (id: string) =>
      left
        .filter((r) => r.monitorId === id)
        .map((r) => [r.span, Math.floor((NOW.getTime() - r.bucket.getTime()) / DAY)]);
    expect(kept(free.id)).toEqual([
      [86_400, 700],
      [3600, 80],
    ]);
    // The team plan keeps hourly rollups 120 days.
    expect(kept(team.id)).toEqual([[3600, 100]]);
    expect(report.deleted.check_rollups).toBe(3);
  });

  it("keeps each heartbeat's newest pings up to its plan's count and none past their age", async ({ db, orgs }) => {
    const free = await db.monitor.create({ data: monitorRow(orgs.free, { type: "heartbeat", settings: {} }) });
    const team = await db.monitor.create({ data: monitorRow(orgs.team, { type: "heartbeat", settings: {} }) });
    const ping = (monitorId: string, organizationId: string, daysAgo: number, n: number) => ({
      id: madeAgo("ping", daysAgo, n),
      organizationId,
      monitorId,
      kind: "success" as const,
      method: "GET",
    });
    // `base` keeps the two monitors' ids apart.
    const recent = (m: { id: string; organizationId: string }, base: number) =>
      Array.from({ length: 1005 }, (_, n) => ping(m.id, m.organizationId, 1 - n / 2000, base + n));
    await db.heartbeatPing.createMany({
      data: [
        ...recent(free, 0),
        ...recent(team, 10_000),
        ...[0, 1, 2].map((n) => ping(team.id, team.organizationId, 40, n)),
      ],
    });
    await db.heartbeatRun.createMany({
      data: [
        { id: newId("heartbeatRun"), monitorId: free.id, startedAt: ago(41), finishedAt: ago(40) },
        { id: newId("heartbeatRun"), monitorId: free.id, startedAt: ago(2), finishedAt: ago(2) },
        { id: newId("heartbeatRun"), monitorId: free.id, startedAt: ago(50) },
      ],
    });

    const report = await runRetention(db, policy, { now: NOW });

    const freePings = await db.heartbeatPing.findMany({ where: { monitorId: free.id }, orderBy: { id: "asc" } });
    expect(freePings).toHaveLength(1000);
    // The five oldest went: the newest thousand stay.
    expect(freePings[0]!.id).toBe(madeAgo("ping", 1 - 5 / 2000, 5));
    // The team plan keeps 2,000, but none older than 30 days.
    expect(await db.heartbeatPing.count({ where: { monitorId: team.id } })).toBe(1005);
    expect(report.deleted.heartbeat_pings).toBe(8);
    // Finished runs past 30 days go; one still open stays whatever its age.
    const runs = await db.heartbeatRun.findMany({ where: { monitorId: free.id } });
    expect(runs.map((r) => r.finishedAt === null || r.finishedAt > ago(30))).toEqual([true, true]);
  });

  it("drops finished notifications and attempts past the plan's retention, never a pending one", async ({
    db,
    orgs,
  }) => {
    const channelId = newId("channel");
    await db.notificationChannel.create({
      data: { id: channelId, organizationId: orgs.free, name: "hook", type: "webhook", config: {} },
    });
    const notification = (daysAgo: number, n: number, status: "pending" | "succeeded" | "failed") => ({
      id: madeAgo("notification", daysAgo, n),
      organizationId: orgs.free,
      channelId,
      dedupeKey: `k${daysAgo}-${n}`,
      event: "monitor.down",
      payload: {},
      status,
    });
    const old = notification(40, 1, "succeeded");
    const stuck = notification(40, 2, "pending");
    const recent = notification(3, 3, "failed");
    await db.notification.createMany({ data: [old, stuck, recent] });
    const attempt = (notificationId: string, daysAgo: number, n: number) => ({
      id: madeAgo("delivery", daysAgo, n),
      organizationId: orgs.free,
      notificationId,
      channelId,
      event: "monitor.down",
      attempt: n,
      status: "failed" as const,
    });
    await db.notificationDelivery.createMany({
      data: [attempt(old.id, 40, 1), attempt(old.id, 40, 2), attempt(recent.id, 3, 1)],
    });

    const report = await runRetention(db, policy, { now: NOW });

    expect((await db.notification.findMany({ orderBy: { id: "asc" } })).map((n) => n.id)).toEqual([
      stuck.id,
      recent.id,
    ]);
    expect(await db.notificationDelivery.count()).toBe(1);
    expect(report.deleted.notifications).toBe(1);
  });

  it("drops processed events past a week, but never a monitor's newest one", async ({ db, orgs }) => {
    const monitor = await db.monitor.create({ data: monitorRow(orgs.free) });
    const event = (daysAgo: number, n: number, done: boolean) => ({
      id: madeAgo("event", daysAgo, n),
      organizationId: orgs.free,
      monitorId: monitor.id,
      type: n % 2 ? "monitor.down" : "monitor.up",
      fromStatus: "up" as const,
      toStatus: "down" as const,
      tick: ago(daysAgo),
      cause: {},
      processedAt: done ? ago(daysAgo) : null,
      notifiedAt: done ? ago(daysAgo) : null,
    });
    await db.monitorEvent.createMany({ data: [event(20, 1, true), event(10, 2, true), event(9, 3, true)] });
    const incidentId = newId("incident");
    await db.incident.create({
      data: { id: incidentId, organizationId: orgs.free, title: "down", startedAt: ago(20) },
    });
    const incidentEvent = (daysAgo: number, n: number, done: boolean) => ({
      id: madeAgo("event", daysAgo, n),
      organizationId: orgs.free,
      incidentId,
      type: "incident.opened",
      payload: {},
      processedAt: done ? ago(daysAgo) : null,
    });
    await db.incidentEvent.createMany({
      data: [incidentEvent(20, 1, true), incidentEvent(20, 2, false), incidentEvent(2, 3, true)],
    });

    await runRetention(db, policy, { now: NOW });

    const events = await db.monitorEvent.findMany({ where: { monitorId: monitor.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.id)).toEqual([madeAgo("event", 9, 3)]);
    const left = await db.incidentEvent.findMany({ where: { incidentId }, orderBy: { id: "asc" } });
    expect(left.map((e) => e.id)).toEqual([madeAgo("event", 20, 2), madeAgo("event", 2, 3)]);
  });
});
