import { runningEscalations, scheduleEscalationSteps } from "@upfleet/alerting";
import type { Db } from "@upfleet/db";
import type { Logger } from "@upfleet/logger";
import type { EscalationJob } from "@upfleet/queue";
import type { Queue } from "bullmq";

/**
 * Re-adds the delayed jobs of every running escalation from the database, so that a Redis flush or
 * a crash before the jobs were added loses no step. Queued jobs keep their place (deterministic ids).
 */
export async function sweepEscalations(db: Db, queue: Queue<EscalationJob>, logger: Logger): Promise<void> {
  try {
    const running = await runningEscalations(db);
    const jobs = await scheduleEscalationSteps(queue, running);
    if (jobs) logger.debug({ escalations: running.length, jobs }, "escalation steps re-added");
  } catch (error) {
    logger.error({ err: error }, "escalation sweep failed; next attempt in a minute");
  }
}
