/** A worker's schedule lag over the last minute: how late checks started behind their ticks. */
export interface LagPercentiles {
  p50: number;
  p99: number;
}

const WINDOW_MS = 60_000;
/** Samples kept: past this many a minute, every other one is dropped (the percentiles barely move). */
const MAX_SAMPLES = 20_000;

/**
 * A worker's lags of the last minute, for the fleet registry: a region's operators read p50/p99
 * there (GET /regions), as the Prometheus histogram is per process and since its start.
 */
export class LagWindow {
  private samples: { at: number; ms: number }[] = [];

  observe(ms: number, now = Date.now()): void {
    if (this.samples.length >= MAX_SAMPLES) this.samples = this.samples.filter((_, i) => i % 2 === 1);
    this.samples.push({ at: now, ms });
  }

  /** The last minute's p50 and p99 (nearest rank), or null when no check started in it. */
  percentiles(now = Date.now()): LagPercentiles | null {
    const first = this.samples.findIndex((s) => s.at > now - WINDOW_MS);
    this.samples = first === -1 ? [] : this.samples.slice(first);
    if (this.samples.length === 0) return null;
    const sorted = this.samples.map((s) => s.ms).sort((a, b) => a - b);
    const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
    return { p50: rank(0.5), p99: rank(0.99) };
  }
}

/**
 * A region's lag as its slowest worker's (the highest p50 and p99 among them): workers report
 * percentiles, not samples, and an operator adding workers cares about the worst one.
 */
export function regionLag(workers: { schedule_lag_ms: LagPercentiles | null }[]): {
  p50: number | null;
  p99: number | null;
} {
  const reported = workers.flatMap((w) => (w.schedule_lag_ms ? [w.schedule_lag_ms] : []));
  if (reported.length === 0) return { p50: null, p99: null };
  return { p50: Math.max(...reported.map((l) => l.p50)), p99: Math.max(...reported.map((l) => l.p99)) };
}
