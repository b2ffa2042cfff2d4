import type { JobInput, JobQueue } from "@upfleet/queue";
import { stepsToSchedule } from "./escalation-plan.ts";
import type { Escalation } from "./escalations.ts";

/** A delayed job for each step of these escalations not fired yet, due when the step is. */
export function escalationStepJobs(escalations: readonly Escalation[], now = new Date()): JobInput<"escalation">[] {
  return escalations.flatMap((escalation) =>
    stepsToSchedule(escalation, now).map(({ step, delayMs }) => ({
      payload: { incidentId: escalation.incidentId, policyId: escalation.policyId, step },
      delayMs,
    })),
  );
}

/**
 * Adds the jobs of these escalations' steps not fired yet. The ids are deterministic, so a job
 * already queued is left as it is; that is what lets the sweeper re-add everything after a Redis
 * flush without doubling a step.
 */
export function scheduleEscalationSteps(
  queue: JobQueue<"escalation">,
  escalations: readonly Escalation[],
  now = new Date(),
): Promise<number> {
  return queue.addBulk(escalationStepJobs(escalations, now));
}
