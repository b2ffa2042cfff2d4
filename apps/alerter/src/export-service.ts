import { notifyExportCompleted, queueNotifications } from "@upfleet/alerting";
import type { Db } from "@upfleet/db";
import { ExportSweeper, type OnCompleted, startExportWorker } from "@upfleet/exports";
import type { Logger } from "@upfleet/logger";
import { openQueue } from "@upfleet/queue";
import type { ConnectionOptions } from "bullmq";
import type { AlerterConfig } from "./config.ts";

export interface ExportServiceDeps {
  db: Db;
  logger: Logger;
  /** A BullMQ-ready connection (maxRetriesPerRequest: null). */
  connection: ConnectionOptions;
  /** bullPrefix(REDIS_PREFIX). */
  prefix: string;
}

interface RunningExports {
  /** Unfinished exports exist: re-queue those whose job is gone. */
  sweep(): void;
  stop(): Promise<void>;
}

/**
 * Builds queued exports (every alerter instance consumes the queue) and sweeps: lost jobs re-queued,
 * expired files deleted. Both sweeps are idempotent, so every instance may run them. A completed
 * export notifies export.completed: the notifications commit with the completion and are queued
 * after it (if that fails, the delivery sweeper queues them).
 */
export function startExports(config: AlerterConfig, deps: ExportServiceDeps): RunningExports {
  const logger = deps.logger.child({ component: "exports" });
  const location = { connection: deps.connection, prefix: deps.prefix };
  const queue = openQueue("export", location);
  const deliveries = openQueue("delivery", location);
  const onCompleted: OnCompleted = async (tx, completed) => {
    const ids = await notifyExportCompleted(tx, completed);
    return () =>
      queueNotifications(deliveries, ids).catch((error: unknown) =>
        logger.warn(
          { err: error, exportId: completed.id, notifications: ids.length },
          "export.completed notifications stored but not queued; the delivery sweeper will",
        ),
      );
  };
  const worker = startExportWorker({
    connection: deps.connection,
    prefix: deps.prefix,
    db: deps.db,
    logger,
    chunkBytes: config.EXPORT_CHUNK_BYTES,
    fileTtlMs: config.EXPORT_FILE_TTL_SECONDS * 1000,
    onCompleted,
  });
  const sweeper = new ExportSweeper({ db: deps.db, queue, logger, everyMs: config.EXPORT_SWEEP_INTERVAL_MS });
  sweeper.start();
  return {
    sweep: () => sweeper.wake(),
    async stop() {
      await sweeper.stop();
      await worker.close();
      await Promise.all([queue.close(), deliveries.close()]);
    },
  };
}
