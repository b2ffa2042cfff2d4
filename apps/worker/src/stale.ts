import { STALE_AFTER_INTERVALS } from "@upfleet/queue";

/** What the cutoff depends on: the check's round, and how often (and after how long at most) it was taken back from a dead worker. */
export interface StaleInput {
  tick: number;
  intervalMs: number;
  stalls: number;
  /** The longest a take-back can come after the check's previous delivery (the reclaim idle, a pass, a margin). */
  recoveryMs: number;
}

/**
 * How long after its tick a check may still start. A check taken back from a dead worker (`stalls`
 * times) started inside the cutoff there, and each take-back then adds up to `recoveryMs`, so the re-run
 * is never skipped as stale (issue #14 point 8: a 9 s check at a 10 s interval lost its tick). Fresh
 * checks keep the plain cutoff, so a worker back from a partition still skips its backlog.
 */
export function staleCutoffMs({ intervalMs, stalls, recoveryMs }: Omit<StaleInput, "tick">): number {
  return STALE_AFTER_INTERVALS * intervalMs + Math.max(0, stalls) * recoveryMs;
}

export function isStale(check: StaleInput, now: number): boolean {
  return now - check.tick > staleCutoffMs(check);
}
