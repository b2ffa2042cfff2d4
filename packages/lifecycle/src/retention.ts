import type { Db } from "@upfleet/db";
import { idAt } from "@upfleet/ids";
import { dropCheckPartitionsBefore } from "./partitions.ts";
import { daysBefore, type RetentionPolicy, utcDay } from "./policy.ts";

/** Rows a statement deletes at most: each stays short, so no lock it takes is held for long. */
const BATCH = 1_000;
/** Monitors (and organizations) handled per statement. */
const PAGE = 500;

export interface RetentionReport {
  partitionsDropped: string[];
  /** Rows deleted per table. */
  deleted: Record<string, number>;
  durationMs: number;
}

/** Removes rows and counts them per table, for the run's report. */
class Deleter {
  readonly deleted: Record<string, number> = {};

  constructor(readonly db: Db) {}

  counted(table: string, n: number): void {
    this.deleted[table] = (this.deleted[table] ?? 0) + n;
  }

  /** Deletes the rows `select` picks (by ctid, BATCH at a time) until none is left. */
  async inBatches(table: string, select: string, values: unknown[]): Promise<void> {
    for (;;) {
      const n = await this.db.$executeRawUnsafe(
        `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(${select} LIMIT ${BATCH}))`,
        ...values,
      );
      this.counted(table, n);
      if (n < BATCH) return;
    }
  }
}

interface MonitorRow {
  id: string;
  type: string;
  plan: string;
}

/** Rollups, heartbeat pings and runs past each monitor's plan's retention, a page of monitors at a time. */
async function trimMonitors(del: Deleter, policy: RetentionPolicy, now: Date): Promise<void> {
  const { db } = del;
  let after = "";
  for (;;) {
    const page = await db.$queryRaw<MonitorRow[]>`
      SELECT m.id, m.type::text AS type, o.plan FROM monitors m JOIN organizations o ON o.id = m.organization_id
      WHERE m.id > ${after} ORDER BY m.id LIMIT ${PAGE}`;
    if (page.length === 0) return;
    after = page.at(-1)!.id;
    const rules = page.map((m) => ({ ...m, retention: policy.of(m.plan) }));
    // The primary key (monitor_id, span, bucket) serves each monitor's range.
    del.counted(
      "check_rollups",
      await db.$executeRaw`
        DELETE FROM check_rollups r
        USING unnest(${rules.map((m) => m.id)}::text[],
                     ${rules.map((m) => daysBefore(now, m.retention.hourlyRollupDays))}::timestamptz[],
                     ${rules.map((m) => daysBefore(now, m.retention.dailyRollupDays))}::timestamptz[])
          AS k(monitor_id, hourly_before, daily_before)
        WHERE r.monitor_id = k.monitor_id
          AND ((r.span = 3600 AND r.bucket < k.hourly_before) OR (r.span = 86400 AND r.bucket < k.daily_before))`,
    );
    const heartbeats = rules.filter((m) => m.type === "heartbeat");
    if (heartbeats.length === 0) continue;
    const ids = heartbeats.map((m) => m.id);
    const keep = heartbeats.map((m) => m.retention.pingsPerMonitor);
    const pingCutoff = heartbeats.map((m) => idAt("ping", daysBefore(now, m.retention.pingDays)));
    // Older than the age limit, or behind the newest `keep` (ids sort by time: the (monitor_id, id) index).
    await del.inBatches(
      "heartbeat_pings",
      `SELECT p.ctid FROM unnest($1::text[], $2::int[], $3::text[]) AS k(monitor_id, keep, before)
     JOIN heartbeat_pings p ON p.monitor_id = k.monitor_id
     WHERE p.id < k.before OR p.id < (SELECT q.id FROM heartbeat_pings q WHERE q.monitor_id = k.monitor_id
                                      ORDER BY q.id DESC OFFSET k.keep - 1 LIMIT 1)`,
      [ids, keep, pingCutoff],
    );
    await del.inBatches(
      "heartbeat_runs",
      `SELECT r.ctid FROM unnest($1::text[], $2::timestamptz[]) AS k(monitor_id, before)
     JOIN heartbeat_runs r ON r.monitor_id = k.monitor_id AND r.finished_at < k.before`,
      [ids, heartbeats.map((m) => daysBefore(now, m.retention.pingDays))],
    );
  }
}

/** Finished notifications (their attempts go with them) and attempts past each organization's plan's retention. */
async function trimDeliveries(del: Deleter, policy: RetentionPolicy, now: Date): Promise<void> {
  let after = "";
  for (;;) {
    const page = await del.db.$queryRaw<{ id: string; plan: string }[]>`
      SELECT id, plan FROM organizations WHERE id > ${after} ORDER BY id LIMIT ${PAGE}`;
    if (page.length === 0) return;
    after = page.at(-1)!.id;
    const orgs = page.map((o) => o.id);
    const before = (kind: "notification" | "delivery") =>
      page.map((o) => idAt(kind, daysBefore(now, policy.of(o.plan).deliveryDays)));
    await del.inBatches(
      "notifications",
      `SELECT n.ctid FROM unnest($1::text[], $2::text[]) AS k(organization_id, before)
     JOIN notifications n ON n.organization_id = k.organization_id AND n.id < k.before
     WHERE n.status <> 'pending'`,
      [orgs, before("notification")],
    );
    await del.inBatches(
      "notification_deliveries",
      `SELECT d.ctid FROM unnest($1::text[], $2::text[]) AS k(organization_id, before)
     JOIN notification_deliveries d ON d.organization_id = k.organization_id AND d.id < k.before`,
      [orgs, before("delivery")],
    );
  }
}

/** Outbox rows every consumer is done with, past RETENTION_EVENT_DAYS. */
async function trimEvents(del: Deleter, policy: RetentionPolicy, now: Date): Promise<void> {
  const before = daysBefore(now, policy.eventDays);
  // A monitor's newest event stays whatever its age: what happens after maintenance reads it.
  await del.inBatches(
    "monitor_events",
    `SELECT e.ctid FROM monitor_events e
     WHERE e.processed_at < $1 AND e.notified_at IS NOT NULL
       AND EXISTS (SELECT 1 FROM monitor_events n WHERE n.monitor_id = e.monitor_id AND n.id > e.id)`,
    [before],
  );
  await del.inBatches("incident_events", "SELECT ctid FROM incident_events WHERE processed_at < $1", [before]);
}

/**
 * One retention pass over everything that grows (README: Retention). Raw check results go a whole
 * day's partition at a time (`beforeDrop` sees each day first); everything else in short batches
 * through an index. Expired export
 * files are not here: the exports sweeper deletes them as soon as they expire.
 */
export async function runRetention(
  db: Db,
  policy: RetentionPolicy,
  options: { now?: Date; beforeDrop?: (day: Date) => Promise<unknown> } = {},
): Promise<RetentionReport> {
  const { now = new Date(), beforeDrop } = options;
  const started = performance.now();
  const del = new Deleter(db);
  const edge = utcDay(daysBefore(now, policy.longestCheckDays));
  const partitionsDropped = await dropCheckPartitionsBefore(db, edge, beforeDrop);
  await trimMonitors(del, policy, now);
  await trimDeliveries(del, policy, now);
  await trimEvents(del, policy, now);
  return { partitionsDropped, deleted: del.deleted, durationMs: performance.now() - started };
}
