import type { Db, Monitor } from "@upfleet/db";
import type { Logger } from "@upfleet/logger";
import { nextTickAfter } from "@upfleet/monitoring";
import { firstDue, SCHEDULED_TYPES, toScheduleEntry } from "@upfleet/monitors";
import { type ScheduleStore, STALE_AFTER_INTERVALS } from "@upfleet/queue";
import type { Keyring } from "@upfleet/secrets";
import { Gauge, type Registry } from "prom-client";

export interface ReconcileReport {
  upserted: number;
  removed: number;
  /** Bytes of the schedule read from Redis to compare it (ids and versions, never the specs). */
  bytesRead: number;
  durationMs: number;
}

export interface ReconcilerDeps {
  db: Db;
  store: ScheduleStore;
  logger: Logger;
  keyring: Keyring;
  metrics: Registry;
}

/** Monitors loaded in full and written per step when entries must be (re)written (after FLUSHALL, all of them). */
const LOAD_CHUNK = 1_000;
/** A tick sent late is sent this long before it goes stale at least, so a worker still runs it. */
const LATE_MARGIN_MS = 2_000;

/**
 * Where a monitor whose due time was lost (FLUSHALL, a failover that lost writes) resumes: at the tick
 * after its last stored one, sent late, when that tick is still fresh enough to run and falls after
 * the monitor's last edit; otherwise at its next tick ahead. A monitor with no recent result has no
 * lost tick to make up (it is new, or went unchecked for longer than any tick stays fresh).
 */
function resumeAt(monitor: Monitor, lastTick: number | undefined, nowMs: number): number {
  const intervalMs = monitor.intervalSeconds * 1000;
  if (lastTick === undefined) return firstDue(monitor, nowMs);
  const freshFrom = nowMs - STALE_AFTER_INTERVALS * intervalMs + LATE_MARGIN_MS;
  return nextTickAfter(monitor.id, intervalMs, Math.max(lastTick, monitor.updatedAt.getTime(), freshFrom - 1));
}

/**
 * Each monitor's newest stored tick recent enough for the tick after it to be fresh (within its stale
 * limit and one interval), read from the check_results primary key.
 */
async function lastTicks(db: Db, monitors: Monitor[], nowMs: number): Promise<Map<string, number>> {
  if (monitors.length === 0) return new Map();
  const since = monitors.map((m) => new Date(nowMs - (STALE_AFTER_INTERVALS + 1) * m.intervalSeconds * 1000));
  const rows = await db.$queryRaw<{ id: string; tick: Date | null }[]>`
    SELECT m.id, (SELECT max(r.tick) FROM check_results r WHERE r.monitor_seq = m.seq AND r.tick >= m.since) AS tick
    FROM unnest(${monitors.map((m) => m.id)}::text[], ${monitors.map((m) => m.seq)}::int[], ${since}::timestamptz[])
      AS m(id, seq, since)`;
  return new Map(rows.flatMap((r) => (r.tick ? [[r.id, r.tick.getTime()] as const] : [])));
}

/**
 * PostgreSQL is the truth: makes Redis's schedule match it. Adds what is missing (after FLUSHALL,
 * everything), refreshes stale entries, and drops what should not run (deleted, paused, unknown).
 *
 * It runs every minute, so it compares ids and versions (updated_at) first, from a hash of versions
 * apart from the specs (~50 bytes a monitor), and loads whole rows only for the entries to write:
 * mapping every monitor each minute stalled dispatching at 20,000 monitors.
 */
export class Reconciler {
  private readonly duration: Gauge;
  private readonly bytesRead: Gauge;

  constructor(private readonly deps: ReconcilerDeps) {
    this.duration = new Gauge({
      name: "upfleet_reconcile_duration_seconds",
      help: "How long the last reconciliation of the schedule with the database took",
      registers: [deps.metrics],
    });
    this.bytesRead = new Gauge({
      name: "upfleet_reconcile_read_bytes",
      help: "Bytes of the schedule the last reconciliation read from Redis",
      registers: [deps.metrics],
    });
  }

  async run(nowMs = Date.now()): Promise<ReconcileReport> {
    const started = performance.now();
    const { db, store, logger, keyring } = this.deps;
    const where = { deletedAt: null, paused: false, type: { in: [...SCHEDULED_TYPES] as never } };
    const current = await db.monitor.findMany({ where, select: { id: true, updatedAt: true } });
    const { versions, unscheduled, unversioned, bytesRead } = await store.snapshot();
    const dueless = (id: string) => unscheduled.has(id) || (!versions.has(id) && !unversioned.has(id));
    const active = new Set<string>();
    const stale: string[] = [];
    for (const { id, updatedAt } of current) {
      active.add(id);
      if (unscheduled.has(id) || versions.get(id) !== updatedAt.toISOString()) stale.push(id);
    }
    let upserted = 0;
    // Each chunk is written before the next is loaded: holding every entry, and one transaction of them
    // all, made the start-up pass the heap's high point, from which V8 set how much garbage it lets grow
    // before its next full collection (BENCHMARKS.md, issue #15).
    for (let i = 0; i < stale.length; i += LOAD_CHUNK) {
      const monitors = await db.monitor.findMany({ where: { ...where, id: { in: stale.slice(i, i + LOAD_CHUNK) } } });
      const missing = monitors.filter((m) => dueless(m.id));
      const last = await lastTicks(db, missing, nowMs);
      const upserts = [];
      for (const monitor of monitors) {
        const entry = toScheduleEntry(monitor, keyring);
        const reschedule = dueless(monitor.id);
        if (reschedule || versions.get(monitor.id) !== entry.version) {
          upserts.push({ entry, nextDueMs: resumeAt(monitor, last.get(monitor.id), nowMs), reschedule });
        }
      }
      await store.upsert(upserts);
      upserted += upserts.length;
    }
    const orphans = [...new Set([...versions.keys(), ...unversioned])].filter((id) => !active.has(id));
    await store.remove(orphans);
    if (upserted || orphans.length) {
      logger.info({ upserted, removed: orphans.length }, "schedules reconciled with the database");
    }
    const durationMs = performance.now() - started;
    this.duration.set(durationMs / 1000);
    this.bytesRead.set(bytesRead);
    return { upserted, removed: orphans.length, bytesRead, durationMs };
  }
}
