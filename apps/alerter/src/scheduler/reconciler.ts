import type { Db } from "@upfleet/db";
import type { Logger } from "@upfleet/logger";
import { firstDue, SCHEDULED_TYPES, toScheduleEntry } from "@upfleet/monitors";
import type { ScheduleStore } from "@upfleet/queue";
import type { Keyring } from "@upfleet/secrets";

export interface ReconcileReport {
  upserted: number;
  removed: number;
}

/** Monitors loaded in full per query when entries must be (re)written (after FLUSHALL, all of them). */
const LOAD_CHUNK = 5_000;

/**
 * PostgreSQL is the truth: makes Redis's schedule match it. Adds what is missing (after FLUSHALL,
 * everything), refreshes stale entries, and drops what should not run (deleted, paused, unknown).
 *
 * It runs every minute, so it compares ids and versions (updated_at) first and loads whole rows only
 * for the entries to write: mapping every monitor each minute stalled dispatching at 20,000 monitors.
 */
export async function reconcileSchedules(
  db: Db,
  store: ScheduleStore,
  logger: Logger,
  ring: Keyring,
): Promise<ReconcileReport> {
  const where = { deletedAt: null, paused: false, type: { in: [...SCHEDULED_TYPES] as never } };
  const current = await db.monitor.findMany({ where, select: { id: true, updatedAt: true } });
  const { versions, scheduled } = await store.snapshot();
  const active = new Set<string>();
  const stale: string[] = [];
  for (const { id, updatedAt } of current) {
    active.add(id);
    if (!scheduled.has(id) || versions.get(id) !== updatedAt.toISOString()) stale.push(id);
  }
  const upserts = [];
  for (let i = 0; i < stale.length; i += LOAD_CHUNK) {
    const monitors = await db.monitor.findMany({ where: { ...where, id: { in: stale.slice(i, i + LOAD_CHUNK) } } });
    for (const monitor of monitors) {
      const entry = toScheduleEntry(monitor, ring);
      const missing = !scheduled.has(monitor.id);
      if (missing || versions.get(monitor.id) !== entry.version) {
        upserts.push({ entry, nextDueMs: firstDue(monitor), reschedule: missing });
      }
    }
  }
  const orphans = [...new Set([...versions.keys(), ...scheduled])].filter((id) => !active.has(id));
  await store.upsert(upserts);
  await store.remove(orphans);
  if (upserts.length || orphans.length) {
    logger.info({ upserted: upserts.length, removed: orphans.length }, "schedules reconciled with the database");
  }
  return { upserted: upserts.length, removed: orphans.length };
}
