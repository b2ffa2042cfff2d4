/** Just enough of the Prometheus text format to diff counters and histograms between two scrapes. */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of every series of `name` whose labels include `where`. */
export function total(samples: Sample[], name: string, where: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

/** Cumulative bucket counts by upper bound (+Inf included), summed over every series of the histogram. */
export function histogram(samples: Sample[], name: string): Map<number, number> {
  const buckets = new Map<number, number>();
  for (const s of samples) {
    if (s.name !== `${name}_bucket`) continue;
    const le = s.labels.le === "+Inf" ? Number.POSITIVE_INFINITY : Number(s.labels.le);
    buckets.set(le, (buckets.get(le) ?? 0) + s.value);
  }
  return new Map([...buckets].sort((a, b) => a[0] - b[0]));
}

/** `after − before`, bucket by bucket: the observations made between the two scrapes. */
export function diffHistogram(before: Map<number, number>, after: Map<number, number>): Map<number, number> {
  return new Map([...after].map(([le, count]) => [le, count - (before.get(le) ?? 0)]));
}

/** Like PromQL's histogram_quantile: linear within the bucket holding the quantile. */
export function histogramQuantile(buckets: Map<number, number>, q: number): number {
  const entries = [...buckets];
  const count = entries.at(-1)?.[1] ?? 0;
  if (count === 0) return Number.NaN;
  const rank = q * count;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [le, cumulative] of entries) {
    if (cumulative >= rank) {
      if (le === Number.POSITIVE_INFINITY) return lowerBound;
      return lowerBound + (le - lowerBound) * ((rank - lowerCount) / Math.max(1, cumulative - lowerCount));
    }
    lowerBound = le;
    lowerCount = cumulative;
  }
  return lowerBound;
}

/** The share of observations at or below `le` (which must be a bucket bound). */
export function shareAtOrBelow(buckets: Map<number, number>, le: number): number {
  const count = [...buckets].at(-1)?.[1] ?? 0;
  return count === 0 ? Number.NaN : (buckets.get(le) ?? Number.NaN) / count;
}
