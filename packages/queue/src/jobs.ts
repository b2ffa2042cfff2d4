import { checkResultSchema, checkSpecSchema } from "@upfleet/checks/contracts";
import type { JobsOptions } from "bullmq";
import { z } from "zod";
import { ESCALATIONS_QUEUE, EXPORTS_QUEUE, NOTIFICATIONS_QUEUE } from "./names.ts";

/**
 * The alerter's proof that it dispatched a round: the check job's id and a MAC (packages/queue
 * dispatch-proof.ts) made with a key no worker holds. The worker copies it into its result unchanged,
 * and the alerter stores only results whose proof holds (docs/adr/0011). Optional in the schemas so a
 * job queued before proofs existed still parses: its result is refused as unsigned.
 */
export const DispatchProof = z.object({ jobId: z.string().max(200), mac: z.string().max(100) });
export type DispatchProof = z.output<typeof DispatchProof>;

/**
 * A check to run in one region for one tick, as it travels on the region's checks stream (under its
 * round's id). Everything the worker needs is here: it has no database.
 */
export const CheckJob = z.object({
  monitorId: z.string(),
  organizationId: z.string(),
  region: z.string(),
  /** Scheduled time (epoch ms): identifies the round across regions. */
  tick: z.number().int(),
  intervalMs: z.number().int().positive(),
  spec: checkSpecSchema,
  proof: DispatchProof.optional(),
});
export type CheckJob = z.output<typeof CheckJob>;

/**
 * A check's outcome, published by the worker to its region's results stream under its round's id, the
 * same as its check's (ResultPublisher).
 */
export const ResultJob = z.object({
  monitorId: z.string(),
  organizationId: z.string(),
  region: z.string(),
  tick: z.number().int(),
  intervalMs: z.number().int().positive(),
  workerId: z.string(),
  startedAt: z.number().int(),
  finishedAt: z.number().int(),
  result: checkResultSchema,
  /** The check job's proof, as the worker received it. */
  proof: DispatchProof.optional(),
});
export type ResultJob = z.output<typeof ResultJob>;

/**
 * Send attempt `attempt` (1-based) of a notification. Retries are not BullMQ's: each failed attempt
 * schedules the next as its own delayed job (the delay depends on Retry-After), and the database row
 * (status, next_attempt_at) is the truth a sweeper re-enqueues from.
 */
export const DeliveryJob = z.object({
  notificationId: z.string(),
  attempt: z.number().int().min(1),
});
export type DeliveryJob = z.output<typeof DeliveryJob>;

/** Step `step` (0-based) of an escalation policy running for an incident, delayed until it is due. */
export const EscalationJob = z.object({
  incidentId: z.string(),
  policyId: z.string(),
  step: z.number().int().min(0),
});
export type EscalationJob = z.output<typeof EscalationJob>;

/**
 * Build export `exportId` (rows to file chunks). The database row counts the attempts and is the truth
 * a sweeper re-enqueues from when the job is lost.
 */
export const ExportJob = z.object({ exportId: z.string() });
export type ExportJob = z.output<typeof ExportJob>;

/** Retry policies, named once. */
const RETRY = {
  /** Only a crash or a database error fails these jobs (a receiver's error is an attempt, recorded). */
  internal: { attempts: 8, backoff: { type: "exponential", delay: 1_000 } },
  /** An export gives up after 3 attempts in all (counted in its row, which says why it failed). */
  export: { attempts: 3, backoff: { type: "exponential", delay: 2_000 } },
} as const satisfies Record<string, JobsOptions>;

/** Completed jobs are kept a few minutes: long enough to absorb a re-enqueue of the same id. */
const KEEP = { removeOnComplete: { age: 300, count: 100_000 }, removeOnFail: { age: 86_400 } } as const;

/** A round's identity: one id per (monitor, region, tick), shared by the check and its result. */
type Round = Pick<CheckJob, "monitorId" | "region" | "tick">;
export const roundId = (job: Round) => `${job.monitorId}@${job.region}@${job.tick}`;

/**
 * The queue catalog: per kind, the BullMQ job name, its queue, how its payload is checked, how it is
 * retried, and its deterministic job id, which is what makes re-enqueueing (a retried producer, a
 * sweeper) a no-op while the job is queued or recently done. Use it through `openQueue` and `work`.
 */
export const JOBS = {
  delivery: {
    name: "deliver",
    queue: () => NOTIFICATIONS_QUEUE,
    schema: DeliveryJob,
    options: { ...RETRY.internal, ...KEEP },
    jobId: (job: DeliveryJob) => `${job.notificationId}@${job.attempt}`,
  },
  escalation: {
    name: "escalate",
    queue: () => ESCALATIONS_QUEUE,
    schema: EscalationJob,
    // A step that ran out of attempts is removed rather than kept, so the next sweep can add it again.
    options: { ...RETRY.internal, ...KEEP, removeOnFail: true },
    jobId: (job: EscalationJob) => `${job.incidentId}@${job.policyId}@${job.step}`,
  },
  export: {
    name: "build",
    queue: () => EXPORTS_QUEUE,
    schema: ExportJob,
    options: { ...RETRY.export, ...KEEP },
    jobId: (job: ExportJob) => job.exportId,
  },
} as const;

export type JobKind = keyof typeof JOBS;
export type JobPayload<K extends JobKind> = z.output<(typeof JOBS)[K]["schema"]>;
/** What names a kind's queue: nothing yet (checks, the one kind that had a queue per region, are streams). */
export type QueueAt<K extends JobKind> = Parameters<(typeof JOBS)[K]["queue"]> extends [infer At] ? At : unknown;
