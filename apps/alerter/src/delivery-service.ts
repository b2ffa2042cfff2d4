import { createSqlPool, type Db } from "@upfleet/db";
import { DeliverySweeper, sendersFromEnv, startDeliveryWorker } from "@upfleet/delivery";
import type { Logger } from "@upfleet/logger";
import { openQueue } from "@upfleet/queue";
import type { Keyring } from "@upfleet/secrets";
import type { ConnectionOptions } from "bullmq";
import type { Registry } from "prom-client";
import type { AlerterConfig } from "./config.ts";

export interface DeliveryServiceDeps {
  db: Db;
  logger: Logger;
  metrics: Registry;
  /** A BullMQ-ready connection (maxRetriesPerRequest: null). */
  connection: ConnectionOptions;
  /** bullPrefix(REDIS_PREFIX). */
  prefix: string;
  keyring: Keyring;
}

interface RunningDelivery {
  /** Pending notifications exist: re-queue those whose job is overdue. */
  sweep(): void;
  stop(): Promise<void>;
}

/**
 * Sends queued notifications (every alerter instance consumes the queue) and sweeps for pending ones
 * whose job was lost. The sweep is idempotent (job ids), so every instance may run it.
 */
export function startDelivery(config: AlerterConfig, deps: DeliveryServiceDeps): RunningDelivery {
  const logger = deps.logger.child({ component: "delivery" });
  const senders = sendersFromEnv(config, deps.keyring);
  const queue = openQueue("delivery", { connection: deps.connection, prefix: deps.prefix });
  // The attempts' own pool: their statements are batched, so a few connections carry the burst.
  const sql = createSqlPool(config.DATABASE_URL, { max: 4 });
  const worker = startDeliveryWorker({
    connection: deps.connection,
    prefix: deps.prefix,
    sql,
    logger,
    metrics: deps.metrics,
    senders,
    queue,
    delays: config.NOTIFICATION_RETRY_DELAYS,
  });
  const sweeper = new DeliverySweeper({ db: deps.db, queue, logger, everyMs: config.NOTIFICATION_SWEEP_INTERVAL_MS });
  sweeper.start();
  return {
    sweep: () => sweeper.wake(),
    async stop() {
      await sweeper.stop();
      await worker.close();
      await queue.close();
      senders.close();
      await sql.end();
    },
  };
}
