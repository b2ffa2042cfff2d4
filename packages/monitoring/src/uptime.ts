/**
 * Response-time histograms and uptime figures. Rollups keep a fixed-bucket histogram per hour and
 * per day, so a p95 over 90 days is a sum of arrays, never a scan of raw checks.
 */

/** Upper bounds (ms) of the histogram buckets; the last bucket is everything slower. */
export const RESPONSE_BUCKETS_MS = [
  10, 25, 50, 75, 100, 150, 200, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000, 15000, 30000,
] as const;
export const HISTOGRAM_SIZE = RESPONSE_BUCKETS_MS.length + 1;

export function bucketIndex(responseMs: number): number {
  const index = RESPONSE_BUCKETS_MS.findIndex((bound) => responseMs <= bound);
  return index === -1 ? RESPONSE_BUCKETS_MS.length : index;
}

export function emptyHistogram(): number[] {
  return new Array<number>(HISTOGRAM_SIZE).fill(0);
}

export function mergeHistograms(histograms: readonly (readonly number[])[]): number[] {
  const total = emptyHistogram();
  for (const h of histograms) for (let i = 0; i < HISTOGRAM_SIZE; i++) total[i]! += h[i] ?? 0;
  return total;
}

/**
 * The q-quantile, interpolated linearly inside its bucket (the usual Prometheus estimate).
 * Null when there is nothing to measure.
 */
export function quantileFromHistogram(histogram: readonly number[], q: number): number | null {
  const count = histogram.reduce((a, b) => a + b, 0);
  if (count === 0) return null;
  const rank = q * count;
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    const inBucket = histogram[i] ?? 0;
    if (seen + inBucket >= rank && inBucket > 0) {
      const lower = i === 0 ? 0 : RESPONSE_BUCKETS_MS[i - 1]!;
      const upper = RESPONSE_BUCKETS_MS[i] ?? RESPONSE_BUCKETS_MS.at(-1)!;
      return Math.round(lower + (upper - lower) * ((rank - seen) / inBucket));
    }
    seen += inBucket;
  }
  return RESPONSE_BUCKETS_MS.at(-1)!;
}

/** Percentage with two decimals; a period with no checks is 100 % (nothing observed down). */
export function uptimePercent(total: number, failed: number): number {
  if (total === 0) return 100;
  return Math.round(((total - failed) / total) * 10_000) / 100;
}

export interface UptimeCounts {
  checks: number;
  failed: number;
}

/**
 * A period's (or bucket's) counts without the checks made in maintenance (`held`, a part of
 * `counts`): planned work counts neither as up nor as down, so uptime is over the checks outside
 * the windows, and a bucket spent wholly in maintenance has no uptime at all.
 */
export function outsideMaintenance(counts: UptimeCounts, held: UptimeCounts | undefined): UptimeCounts {
  if (!held) return counts;
  return { checks: Math.max(0, counts.checks - held.checks), failed: Math.max(0, counts.failed - held.failed) };
}
