import type { Db } from "@upfleet/db";
import type { Logger } from "@upfleet/logger";
import { type JobQueue, OutboxSweeper } from "@upfleet/queue";
import { escalationStepJobs } from "./escalation-queue.ts";
import { runningEscalations } from "./escalations.ts";

/** How often the scheduler lease holder re-adds the steps' jobs (also when it takes the lease). */
const SWEEP_EVERY_MS = 60_000;

/**
 * Re-adds the delayed jobs of every running escalation from the database, so that a Redis flush or
 * a crash before the jobs were added loses no step. Queued jobs keep their place (deterministic ids),
 * so re-adding is routine and logged at debug. Only the scheduler lease holder sweeps.
 */
export function escalationSweeper(
  db: Db,
  queue: JobQueue<"escalation">,
  logger: Logger,
  isLeader: () => boolean,
  everyMs = SWEEP_EVERY_MS,
): OutboxSweeper<"escalation"> {
  return new OutboxSweeper({
    name: "escalation step",
    queue,
    async *pending() {
      if (isLeader()) yield escalationStepJobs(await runningEscalations(db));
    },
    logger,
    everyMs,
    level: "debug",
  });
}
