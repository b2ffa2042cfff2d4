import type { Db } from "@upfleet/db";
import type { Logger } from "@upfleet/logger";
import { type JobHandler, type JobWorker, work } from "@upfleet/queue";
import type { ConnectionOptions } from "bullmq";
import { type BuildOptions, buildExport } from "./builder.ts";

export interface ExportWorkerOptions extends BuildOptions {
  connection: ConnectionOptions;
  /** bullPrefix(REDIS_PREFIX). */
  prefix: string;
  db: Db;
  logger: Logger;
}

/** Builds at once per process: each streams pages from PostgreSQL, so a few are plenty. */
const CONCURRENCY = 2;
/**
 * A killed process's export is taken up again within ~15 s (lock expiry, then a stalled-job pass)
 * rather than BullMQ's 30 s + 30 s; the lock is renewed while a build runs, however long.
 */
const LOCK_MS = 10_000;
const STALLED_CHECK_MS = 5_000;

/** Consumes the exports queue: one job per export, retried by the queue, attempts counted in the row. */
export function startExportWorker(options: ExportWorkerOptions): JobWorker {
  const { db, logger } = options;
  const process: JobHandler<"export"> = async ({ exportId }) => {
    try {
      const outcome = await buildExport(db, exportId, options);
      if (outcome.kind === "failed") logger.warn({ exportId, ...outcome }, "export failed for good");
      else if (outcome.kind === "completed") logger.info({ exportId, ...outcome }, "export completed");
      else logger.debug({ exportId, why: outcome.why }, "export skipped");
    } catch (error) {
      logger.warn({ err: error, exportId }, "export attempt failed; will retry");
      throw error;
    }
  };
  const worker = work("export", process, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: CONCURRENCY,
    lockDuration: LOCK_MS,
    stalledInterval: STALLED_CHECK_MS,
    // Idle, block a minute on Redis rather than BullMQ's 5 s: a job added wakes the worker at once (issue #15).
    drainDelay: 60,
  });
  worker.bull.on("error", (error) => logger.warn({ err: error }, "export worker error"));
  return worker;
}
