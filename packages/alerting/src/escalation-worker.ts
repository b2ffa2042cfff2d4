import type { Db } from "@upfleet/db";
import type { Logger } from "@upfleet/logger";
import { type JobHandler, type JobQueue, type JobWorker, work } from "@upfleet/queue";
import { type ConnectionOptions, DelayedError } from "bullmq";
import { runEscalationStep } from "./escalations.ts";
import { queueNotifications } from "./fan-out.ts";

/**
 * Seconds an idle worker blocks on Redis before looking again (BullMQ's default is 5). A job added,
 * or a delayed one coming due, wakes it at once either way, so this only sets how often an idle
 * alerter sends Redis a BZPOPMIN and a script (issue #15).
 */
const IDLE_WAIT_S = 60;

export interface EscalationWorkerDeps {
  db: Db;
  logger: Logger;
  connection: ConnectionOptions;
  prefix: string;
  deliveries: JobQueue<"delivery">;
}

/**
 * Fires escalation steps as their delayed jobs come due. The database decides (next_step moves in
 * the transaction that creates the step's notifications), so a job run twice, or by two alerters,
 * fires its step once; a failure after the commit leaves pending notifications the delivery
 * sweeper queues.
 */
export function startEscalationWorker(deps: EscalationWorkerDeps): JobWorker {
  const { db, logger, connection, prefix, deliveries } = deps;
  const handle: JobHandler<"escalation"> = async (data, job, token) => {
    const report = await runEscalationStep(db, data);
    await queueNotifications(deliveries, report.notificationIds);
    if (report.notificationIds.length) {
      logger.info({ ...data, notifications: report.notificationIds.length }, "escalation step fired");
    }
    if (report.retryAt && token) {
      // Due by this process' clock but not by the one that scheduled it: come back when it is.
      await job.moveToDelayed(report.retryAt.getTime(), token);
      throw new DelayedError();
    }
  };
  const worker = work("escalation", handle, { connection, prefix, concurrency: 10, drainDelay: IDLE_WAIT_S });
  worker.bull.on("error", (error) => logger.warn({ err: error }, "escalation worker error"));
  worker.bull.on("failed", (job, error) =>
    logger.warn({ err: error, jobId: job?.id }, "escalation step failed; will retry"),
  );
  return worker;
}
