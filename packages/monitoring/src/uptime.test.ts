import { describe, expect, it } from "vitest";
import {
  bucketIndex,
  emptyHistogram,
  HISTOGRAM_SIZE,
  mergeHistograms,
  outsideMaintenance,
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

describe("outsideMaintenance", () => {
  it("leaves the checks made in maintenance out of both the failures and the denominator", () => {
    // 60 checks, 6 failed; 10 of them in a window, 5 of those failed (planned downtime).
    const counts = outsideMaintenance({ checks: 60, failed: 6 }, { checks: 10, failed: 5 });
    expect(counts).toEqual({ checks: 50, failed: 1 });
    expect(uptimePercent(counts.checks, counts.failed)).toBe(98);
    expect(uptimePercent(60, 6)).toBe(90);
  });

  it("keeps counts without maintenance as they are, and a bucket wholly in maintenance has no checks", () => {
    expect(outsideMaintenance({ checks: 5, failed: 1 }, undefined)).toEqual({ checks: 5, failed: 1 });
    expect(outsideMaintenance({ checks: 5, failed: 5 }, { checks: 5, failed: 5 })).toEqual({ checks: 0, failed: 0 });
  });
});
