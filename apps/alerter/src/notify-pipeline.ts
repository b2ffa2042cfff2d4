import type { Db } from "@upfleet/db";
import type { Logger } from "@upfleet/logger";
import { openQueue } from "@upfleet/queue";
import type { ConnectionOptions } from "bullmq";
import type { Registry } from "prom-client";
import { escalationSweeper } from "./escalation-sweeper.ts";
import { startEscalationWorker } from "./escalation-worker.ts";
import { NotificationFanOut } from "./notify-fanout.ts";

export interface NotifyDeps {
  db: Db;
  logger: Logger;
  metrics: Registry;
  connection: ConnectionOptions;
  prefix: string;
  /** Whether this process holds the scheduler lease: only its holder sweeps escalations. */
  isLeader(): boolean;
}

export interface RunningNotifications {
  /** Routes newly applied state changes now (the incident opener calls it after each batch). */
  wake(): void;
  /** Re-adds the jobs of running escalations now (when taking the lease); the lease holder also does every minute. */
  sweep(): void;
  stop(): Promise<void>;
}

/** The producing side of notifications: the fan-out, escalation steps and their sweep. */
export function startNotifications(deps: NotifyDeps): RunningNotifications {
  const { db, logger, metrics, connection, prefix, isLeader } = deps;
  const deliveries = openQueue("delivery", { connection, prefix });
  const escalations = openQueue("escalation", { connection, prefix });
  const fanOut = new NotificationFanOut({ db, logger, metrics, queues: { deliveries, escalations } });
  fanOut.start();
  const worker = startEscalationWorker({ db, logger, connection, prefix, deliveries });
  const sweeper = escalationSweeper(db, escalations, logger, isLeader);
  sweeper.start();
  return {
    wake: () => fanOut.wake(),
    sweep: () => sweeper.wake(),
    async stop() {
      await sweeper.stop();
      await worker.close();
      await fanOut.stop();
      await Promise.all([deliveries.close(), escalations.close()]);
    },
  };
}
