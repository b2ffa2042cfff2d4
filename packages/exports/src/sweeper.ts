import type { Db } from "@upfleet/db";
import type { Logger } from "@upfleet/logger";
import { Loop } from "@upfleet/runtime";
import type { Queue } from "bullmq";
import { enqueueExport } from "./queue.ts";

/** Job states in which the export's build will still run (or is running): nothing to re-queue. */
const LIVE_STATES = new Set(["waiting", "active", "delayed", "prioritized", "waiting-children"]);

/** An export younger than this may not have reached the queue yet (the API queues it after its commit). */
const GRACE_MS = 5_000;

/**
 * Re-queues every unfinished export whose job is gone (a Redis flush) or finished without finishing
 * it (a job that failed on stalls, e.g. its process killed twice). A finished job's id would absorb
 * the re-add, so it is removed first. The build's claim counts each attempt, so a lost job is retried
 * at least once and an export fails after its last attempt. Returns how many were re-queued.
 */
export async function requeueLostExports(db: Db, queue: Queue, now = Date.now()): Promise<number> {
  const unfinished = await db.export.findMany({
    where: { status: { in: ["pending", "processing"] }, createdAt: { lt: new Date(now - GRACE_MS) } },
    select: { id: true },
    orderBy: { createdAt: "asc" },
  });
  let requeued = 0;
  for (const { id } of unfinished) {
    const job = await queue.getJob(id);
    if (job && LIVE_STATES.has(await job.getState())) continue;
    await job?.remove();
    await enqueueExport(queue, id);
    requeued++;
  }
  return requeued;
}

/** Drops the files of expired exports; the rows stay (completed, with their counts and expires_at). */
export async function deleteExpiredFiles(db: Db, now = new Date()): Promise<number> {
  return db.$executeRaw`
    DELETE FROM export_chunks c USING exports e
    WHERE c.export_id = e.id AND e.expires_at < ${now}`;
}

export interface ExportSweeperOptions {
  db: Db;
  queue: Queue;
  logger: Logger;
  /** How often to look; also runs once at start. */
  everyMs: number;
}

/** Runs both sweeps at start and every `everyMs`, one pass at a time. Every alerter may run it. */
export class ExportSweeper extends Loop {
  constructor({ db, queue, logger, everyMs }: ExportSweeperOptions) {
    super(
      async () => {
        const [requeued, chunks] = await Promise.all([requeueLostExports(db, queue), deleteExpiredFiles(db)]);
        if (requeued > 0) logger.info({ count: requeued }, "lost export jobs re-queued");
        if (chunks > 0) logger.info({ chunks }, "expired export files deleted");
      },
      { everyMs, onError: (error) => logger.warn({ err: error }, "export sweep failed; will retry") },
    );
  }
}
