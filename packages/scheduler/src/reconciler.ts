import type { Db } from "@upfleet/db";
import type { Logger } from "@upfleet/logger";
import { firstDue, SCHEDULED_TYPES, toScheduleEntry } from "@upfleet/monitors";
import type { ScheduleStore } from "@upfleet/queue";

export interface ReconcileReport {
  upserted: number;
  removed: number;
}

/**
 * PostgreSQL is the truth: makes Redis's schedule match it. Adds what is missing (after FLUSHALL,
 * everything), refreshes stale entries, and drops what should not run (deleted, paused, unknown).
 */
export async function reconcileSchedules(db: Db, store: ScheduleStore, logger: Logger): Promise<ReconcileReport> {
  const monitors = await db.monitor.findMany({
    where: { deletedAt: null, paused: false, type: { in: [...SCHEDULED_TYPES] as never } },
  });
  const { versions, scheduled } = await store.snapshot();
  const active = new Set<string>();
  const upserts = [];
  for (const monitor of monitors) {
    active.add(monitor.id);
    const entry = toScheduleEntry(monitor);
    const missing = !scheduled.has(monitor.id);
    if (missing || versions.get(monitor.id) !== entry.version) {
      upserts.push({ entry, nextDueMs: firstDue(monitor), reschedule: missing });
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
