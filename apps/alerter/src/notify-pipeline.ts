import { openEscalationQueue } from "@upfleet/alerting";
import type { Db } from "@upfleet/db";
import { openDeliveryQueue } from "@upfleet/delivery";
import type { Logger } from "@upfleet/logger";
import { closeWorker } from "@upfleet/queue";
import type { ConnectionOptions } from "bullmq";
import type { Registry } from "prom-client";
import { sweepEscalations } from "./escalation-sweeper.ts";
import { startEscalationWorker } from "./escalation-worker.ts";
import { NotificationFanOut } from "./notify-fanout.ts";

export interface NotifyDeps {
  db: Db;
  logger: Logger;
  metrics: Registry;
  connection: ConnectionOptions;
  prefix: string;
}

export interface RunningNotifications {
  /** Routes newly applied state changes now (the incident opener calls it after each batch). */
  wake(): void;
  /** Re-adds the jobs of running escalations: at start, when taking the lease and every minute. */
  sweep(): Promise<void>;
  stop(): Promise<void>;
}

/** The producing side of notifications: the fan-out, escalation steps and their sweep. */
export function startNotifications(deps: NotifyDeps): RunningNotifications {
  const { db, logger, metrics, connection, prefix } = deps;
  const deliveries = openDeliveryQueue(connection, prefix);
  const escalations = openEscalationQueue(connection, prefix);
  const fanOut = new NotificationFanOut({ db, logger, metrics, queues: { deliveries, escalations } });
  fanOut.start();
  const worker = startEscalationWorker({ db, logger, connection, prefix, deliveries });
  return {
    wake: () => fanOut.wake(),
    sweep: () => sweepEscalations(db, escalations, logger),
    async stop() {
      await closeWorker(worker);
      await fanOut.stop();
      await Promise.all([deliveries.close(), escalations.close()]);
    },
  };
}
