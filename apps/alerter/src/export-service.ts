import type { Db } from "@upfleet/db";
import { ExportSweeper, openExportQueue, startExportWorker } from "@upfleet/exports";
import type { Logger } from "@upfleet/logger";
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

/**
 * Builds queued exports (every alerter instance consumes the queue) and sweeps: lost jobs re-queued,
 * expired files deleted. Both sweeps are idempotent, so every instance may run them.
 */
export function startExports(config: AlerterConfig, deps: ExportServiceDeps): { stop(): Promise<void> } {
  const logger = deps.logger.child({ component: "exports" });
  const queue = openExportQueue(deps.connection, deps.prefix);
  const worker = startExportWorker({
    connection: deps.connection,
    prefix: deps.prefix,
    db: deps.db,
    logger,
    chunkBytes: config.EXPORT_CHUNK_BYTES,
    fileTtlMs: config.EXPORT_FILE_TTL_SECONDS * 1000,
  });
  const sweeper = new ExportSweeper({ db: deps.db, queue, logger, everyMs: config.EXPORT_SWEEP_INTERVAL_MS });
  sweeper.start();
  return {
    async stop() {
      await sweeper.stop();
      await worker.close();
      await queue.close();
    },
  };
}
