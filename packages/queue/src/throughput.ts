/** BullMQ's completed-jobs metrics of a queue, as `Queue.getMetrics("completed", 0, 0)` returns them. */
export interface CompletedMetrics {
  meta: { count: number; prevTS: number; prevCount: number };
  data: number[];
}

const MINUTE_MS = 60_000;

/**
 * Jobs completed in the last whole minute. BullMQ writes a minute's count only when a job completes in
 * a later minute, so the newest point alone stays on show for good once the workers are gone (issue #14
 * point 8). `prevTS` says when the newest point was written: in this minute, it is the last minute's
 * count; in the last minute, that minute's count is still open (`count - prevCount`); before that, no
 * job completed in the last minute.
 */
export function completedLastMinute({ meta, data }: CompletedMetrics, now = Date.now()): number {
  const minutesSince = Math.floor(now / MINUTE_MS) - Math.floor(meta.prevTS / MINUTE_MS);
  if (meta.prevTS === 0 || minutesSince > 1) return 0;
  return minutesSince === 1 ? meta.count - meta.prevCount : (data[0] ?? 0);
}
