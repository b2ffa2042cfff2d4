/**
 * A check job older than this many intervals is stale: its round is long decided and the next tick is
 * due, so a worker skips it. The scheduler uses the same limit to decide what may still be sent late
 * and when a region's queue is only collecting jobs no worker will run.
 */
export const STALE_AFTER_INTERVALS = 2;

/** When a check of `tick` goes stale (epoch ms). */
export function staleAt(tick: number, intervalMs: number): number {
  return tick + STALE_AFTER_INTERVALS * intervalMs;
}
