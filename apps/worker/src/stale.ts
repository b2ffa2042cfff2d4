import { CHECK_WORKER_LOCK_MS } from "@upfleet/queue";

/** A job older than this many intervals is stale: its round is long decided, the next tick is due. */
const STALE_AFTER_INTERVALS = 2;

/** How often the workers look for jobs whose worker died (BullMQ's stalled-job check). */
export const STALLED_CHECK_EVERY_MS = 1_000;

/** Time for the dead worker's result to have been published after its check ended, and for the job to be taken again. */
const RECOVERY_MARGIN_MS = 5_000;

/** What the cutoff depends on: the job's round, its check's timeout, and how often it was taken back from a dead worker. */
export interface StaleInput {
  tick: number;
  intervalMs: number;
  timeoutMs: number;
  stalls: number;
}

/**
 * How long after its tick a check may still start. A job that BullMQ took back from a dead worker
 * (`stalls` times) started inside the cutoff there, and each stall then adds up to the check's timeout
 * (the worker can die just before publishing), a lock duration (the last renewal) and two stalled-job
 * checks (marked, then moved): that time is added per stall, so the re-run is never skipped as stale
 * (issue #14 point 8: a 9 s check at a 10 s interval lost its tick). Fresh jobs keep the plain cutoff,
 * so a worker back from a partition still skips its backlog.
 */
export function staleCutoffMs({ intervalMs, timeoutMs, stalls }: Omit<StaleInput, "tick">): number {
  const recovery = timeoutMs + CHECK_WORKER_LOCK_MS + 2 * STALLED_CHECK_EVERY_MS + RECOVERY_MARGIN_MS;
  return STALE_AFTER_INTERVALS * intervalMs + Math.max(0, stalls) * recovery;
}

export function isStale(job: StaleInput, now: number): boolean {
  return now - job.tick > staleCutoffMs(job);
}
