import type { Db } from "@upfleet/db";
import type { Logger } from "@upfleet/logger";
import { Loop } from "@upfleet/runtime";
import type { Queue } from "bullmq";
import { enqueueDeliveries } from "./enqueue.ts";

export interface SweeperOptions {
  db: Db;
  queue: Queue;
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

/**
 * Re-queues the next attempt of every pending notification whose attempt is overdue: the safety net
 * for a Redis flush or a crash between a commit and its enqueue. Job ids make it a no-op for an
 * attempt that is still queued. Returns how many were re-queued.
 */
export async function sweepPendingNotifications(
  db: Db,
  queue: Queue,
  graceMs: number,
  now = Date.now(),
): Promise<number> {
  const cutoff = new Date(now - graceMs);
  let swept = 0;
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
    await enqueueDeliveries(
      queue,
      rows.map((row) => ({ notificationId: row.id, attempt: row.attempts + 1 })),
    );
    swept += rows.length;
    if (rows.length < BATCH) return swept;
    after = rows.at(-1)!.id;
  }
}

/** Runs the sweep at start and every `everyMs`, one pass at a time. */
export class DeliverySweeper extends Loop {
  constructor({ db, queue, logger, everyMs = 30_000, graceMs = DEFAULT_GRACE_MS }: SweeperOptions) {
    super(
      async () => {
        const count = await sweepPendingNotifications(db, queue, graceMs);
        if (count > 0) logger.info({ count }, "overdue notifications re-queued");
      },
      { everyMs, onError: (error) => logger.warn({ err: error }, "notification sweep failed; will retry") },
    );
  }
}
