import type { Db } from "@upfleet/db";
import type { Logger } from "@upfleet/logger";
import { type JobInput, type JobQueue, OutboxSweeper, sweepOutbox } from "@upfleet/queue";

export interface SweeperOptions {
  db: Db;
  queue: JobQueue<"delivery">;
  logger: Logger;
  /** How often to look; also runs once at start. */
  everyMs?: number;
  /** A pending notification is swept once its next attempt is this overdue (its job should have run). */
  graceMs?: number;
}

const BATCH = 500;

/**
 * Seconds, not a minute: a notification whose job was lost in a crash between its commit and its
 * enqueue goes out on the next pass. During a burst the backlog still queued is re-added too, but
 * in bulk (a round trip per 500) and absorbed by the job ids.
 */
const DEFAULT_GRACE_MS = 5_000;

/** The next attempt of every pending notification whose attempt is overdue, 500 at a time. */
async function* overdueAttempts(db: Db, graceMs: number): AsyncIterable<JobInput<"delivery">[]> {
  const cutoff = new Date(Date.now() - graceMs);
  let after = "";
  for (;;) {
    const rows = await db.notification.findMany({
      where: {
        id: { gt: after },
        status: "pending",
        OR: [{ nextAttemptAt: { lt: cutoff } }, { nextAttemptAt: null, createdAt: { lt: cutoff } }],
      },
      select: { id: true, attempts: true },
      orderBy: { id: "asc" },
      take: BATCH,
    });
    yield rows.map((row) => ({ payload: { notificationId: row.id, attempt: row.attempts + 1 } }));
    if (rows.length < BATCH) return;
    after = rows.at(-1)!.id;
  }
}

/**
 * Re-queues the next attempt of every pending notification whose attempt is overdue: the safety net
 * for a Redis flush or a crash between a commit and its enqueue. Job ids make it a no-op for an
 * attempt that is still queued. Returns how many were re-queued.
 */
export function sweepPendingNotifications(db: Db, queue: JobQueue<"delivery">, graceMs: number): Promise<number> {
  return sweepOutbox({ queue, pending: () => overdueAttempts(db, graceMs) });
}

/** Runs the sweep at start and every `everyMs`, one pass at a time. */
export class DeliverySweeper extends OutboxSweeper<"delivery"> {
  constructor({ db, queue, logger, everyMs = 30_000, graceMs = DEFAULT_GRACE_MS }: SweeperOptions) {
    super({ name: "notification", queue, pending: () => overdueAttempts(db, graceMs), logger, everyMs });
  }
}
