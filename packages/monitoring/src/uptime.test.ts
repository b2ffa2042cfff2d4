import { describe, expect, it } from "vitest";
import {
  bucketIndex,
  emptyHistogram,
  HISTOGRAM_SIZE,
  mergeHistograms,
  quantileFromHistogram,
  uptimePercent,
} from "./uptime.ts";

function histogramOf(values: number[]): number[] {
  const h = emptyHistogram();
  for (const v of values) h[bucketIndex(v)]! += 1;
  return h;
}

describe("histograms", () => {
  it("puts values in the bucket whose bound covers them", () => {
    expect(bucketIndex(0)).toBe(0);
    expect(bucketIndex(10)).toBe(0);
    expect(bucketIndex(11)).toBe(1);
    expect(bucketIndex(10_000_000)).toBe(HISTOGRAM_SIZE - 1);
  });

  it("estimates p95 within its bucket", () => {
    const values = Array.from({ length: 100 }, (_, i) => (i < 95 ? 80 : 900));
    const p95 = quantileFromHistogram(histogramOf(values), 0.95)!;
    expect(p95).toBeGreaterThan(75);
    expect(p95).toBeLessThanOrEqual(100);
    expect(quantileFromHistogram(histogramOf(values), 0.99)).toBeGreaterThan(750);
  });

  it("merges by adding", () => {
    const merged = mergeHistograms([histogramOf([5, 30]), histogramOf([5])]);
    expect(merged[0]).toBe(2);
    expect(merged[2]).toBe(1);
  });

  it("has no quantile without data", () => {
    expect(quantileFromHistogram(emptyHistogram(), 0.95)).toBeNull();
  });
});

describe("uptimePercent", () => {
  it("rounds to two decimals", () => {
    expect(uptimePercent(3, 1)).toBe(66.67);
    expect(uptimePercent(10_000, 5)).toBe(99.95);
    expect(uptimePercent(0, 0)).toBe(100);
  });
});
