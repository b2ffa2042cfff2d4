import type { Db } from "@upfleet/db";
import type { Logger } from "@upfleet/logger";
import { openQueue } from "@upfleet/queue";
import type { ConnectionOptions } from "bullmq";
import type { Registry } from "prom-client";
import { escalationSweeper } from "./escalation-sweeper.ts";
import { startEscalationWorker } from "./escalation-worker.ts";
import { NotificationFanOut } from "./fan-out-loop.ts";
import { IncidentOpener } from "./incident-opener.ts";

export interface AlertingDeps {
  db: Db;
  logger: Logger;
  metrics: Registry;
  /** A BullMQ-ready connection (maxRetriesPerRequest: null). */
  connection: ConnectionOptions;
  /** bullPrefix(REDIS_PREFIX). */
  prefix: string;
  /** Whether this process holds the scheduler lease: only its holder sweeps escalations. */
  isLeader(): boolean;
  /**
   * How often the opener, the fan-out and the escalation sweep look unwoken (their defaults otherwise):
   * longer where something else wakes them for work written elsewhere (the alerter's work probe).
   */
  netMs?: number;
}

export interface RunningAlerting {
  /** A monitor's state changed (monitor_events committed): open or resolve its incident now. */
  stateChanged(): void;
  /** Events wait to be routed (incident_events the API wrote, or monitor_events another alerter applied): route them now. */
  eventsWaiting(): void;
  /** Re-adds the jobs of running escalations now (when taking the lease); the lease holder also does every minute. */
  sweep(): void;
  stop(): Promise<void>;
}

/**
 * From a monitor's state change to queued notifications (docs/adr/0007): the incident opener turns
 * monitor_events into incidents and incident_events, the fan-out routes both to notification rows
 * and queues their deliveries (packages/delivery sends them), and escalation steps run as delayed
 * jobs with their sweep. Every alerter runs it; the database shares the work out.
 */
export function startAlerting(deps: AlertingDeps): RunningAlerting {
  const { db, logger, metrics, connection, prefix, isLeader, netMs } = deps;
  const deliveries = openQueue("delivery", { connection, prefix });
  const escalations = openQueue("escalation", { connection, prefix });
  const fanOut = new NotificationFanOut(
    { db, logger, metrics, queues: { deliveries, escalations } },
    { pollMs: netMs },
  );
  fanOut.start();
  const worker = startEscalationWorker({ db, logger, connection, prefix, deliveries });
  const sweeper = escalationSweeper(db, escalations, logger, isLeader, netMs);
  sweeper.start();
  const opener = new IncidentOpener({ db, logger, metrics }, { onProcessed: () => fanOut.wake(), pollMs: netMs });
  opener.start();
  return {
    stateChanged: () => opener.wake(),
    eventsWaiting: () => fanOut.wake(),
    sweep: () => sweeper.wake(),
    async stop() {
      await opener.stop();
      await sweeper.stop();
      await worker.close();
      await fanOut.stop();
      await Promise.all([deliveries.close(), escalations.close()]);
    },
  };
}
