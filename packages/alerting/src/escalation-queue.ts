import { ESCALATIONS_QUEUE, type EscalationJob, escalationJobId, JOBS } from "@upfleet/queue";
import { type ConnectionOptions, Queue } from "bullmq";
import { stepsToSchedule } from "./escalation-plan.ts";
import type { Escalation } from "./escalations.ts";

export function openEscalationQueue(connection: ConnectionOptions, prefix: string): Queue<EscalationJob> {
  return new Queue<EscalationJob>(ESCALATIONS_QUEUE, { connection, prefix });
}

/**
 * Adds a delayed job for each step of these escalations not fired yet. The ids are deterministic,
 * so a job already queued is left as it is; that is what lets the sweeper re-add everything after a
 * Redis flush without doubling a step. A job that ran out of attempts is removed rather than kept,
 * so that the next sweep can add it again.
 */
export async function scheduleEscalationSteps(
  queue: Queue<EscalationJob>,
  escalations: readonly Escalation[],
  now = new Date(),
): Promise<number> {
  const jobs = escalations.flatMap((escalation) =>
    stepsToSchedule(escalation, now).map(({ step, delayMs }) => {
      const data = JOBS.escalation.schema.parse({
        incidentId: escalation.incidentId,
        policyId: escalation.policyId,
        step,
      });
      return {
        name: "escalate",
        data,
        opts: {
          ...JOBS.escalation.options,
          removeOnFail: true,
          jobId: escalationJobId(data.incidentId, data.policyId, step),
          delay: delayMs,
        },
      };
    }),
  );
  if (jobs.length) await queue.addBulk(jobs);
  return jobs.length;
}
