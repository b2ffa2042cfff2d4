import type { Db } from "@upfleet/db";
import type { Logger } from "@upfleet/logger";
import { type JobInput, type JobQueue, sweepOutbox } from "@upfleet/queue";
import { Loop } from "@upfleet/runtime";

/** An export younger than this may not have reached the queue yet (the API queues it after its commit). */
const GRACE_MS = 5_000;

/** Every unfinished export past its grace: each should have a live job. */
async function* unfinishedExports(db: Db): AsyncIterable<JobInput<"export">[]> {
  const rows = await db.export.findMany({
    where: { status: { in: ["pending", "processing"] }, createdAt: { lt: new Date(Date.now() - GRACE_MS) } },
    select: { id: true },
    orderBy: { createdAt: "asc" },
  });
  yield rows.map(({ id }) => ({ payload: { exportId: id } }));
}

/** Drops the files of expired exports; the rows stay (completed, with their counts and expires_at). */
async function deleteExpiredFiles(db: Db, now = new Date()): Promise<number> {
  return db.$executeRaw`
    DELETE FROM export_chunks c USING exports e
    WHERE c.export_id = e.id AND e.expires_at < ${now}`;
}

export interface ExportSweeperOptions {
  db: Db;
  queue: JobQueue<"export">;
  logger: Logger;
  /** How often to look; also runs once at start. */
  everyMs: number;
}

/**
 * Runs both sweeps at start and every `everyMs`, one pass at a time; every alerter may run it.
 * Re-queues every unfinished export whose job is gone (a Redis flush) or finished without finishing
 * it (a job that failed on stalls, e.g. its process killed twice); the build's claim counts each
 * attempt, so a lost job is retried at least once and an export fails after its last attempt. And
 * deletes expired files.
 */
export class ExportSweeper extends Loop {
  constructor({ db, queue, logger, everyMs }: ExportSweeperOptions) {
    const lost = { queue, pending: () => unfinishedExports(db), replaceFinished: true };
    super(
      async () => {
        const [requeued, chunks] = await Promise.all([sweepOutbox(lost), deleteExpiredFiles(db)]);
        if (requeued > 0) logger.info({ count: requeued }, "lost export jobs re-queued");
        if (chunks > 0) logger.info({ chunks }, "expired export files deleted");
      },
      { everyMs, onError: (error) => logger.warn({ err: error }, "export sweep failed; will retry") },
    );
  }
}
