import { describe, expect, it } from "vitest";
import { LagWindow, regionLag } from "./schedule-lag.ts";

describe("a worker's schedule lag over the last minute", () => {
  it("is null before any check, then the nearest-rank p50 and p99", () => {
    const window = new LagWindow();
    expect(window.percentiles(0)).toBeNull();
    for (let ms = 1; ms <= 100; ms++) window.observe(ms, 1_000);
    expect(window.percentiles(2_000)).toEqual({ p50: 50, p99: 99 });
    window.observe(5_000, 1_000);
    expect(window.percentiles(2_000)).toEqual({ p50: 51, p99: 100 });
  });

  it("forgets checks that started more than a minute ago", () => {
    const window = new LagWindow();
    window.observe(900, 0);
    window.observe(10, 30_000);
    expect(window.percentiles(59_000)).toEqual({ p50: 10, p99: 900 });
    expect(window.percentiles(61_000)).toEqual({ p50: 10, p99: 10 });
    expect(window.percentiles(91_000)).toBeNull();
  });

  it("keeps a bounded sample under load", () => {
    const window = new LagWindow();
    for (let i = 0; i < 50_000; i++) window.observe(i % 100, 1_000);
    const { p50, p99 } = window.percentiles(1_000)!;
    expect(p50).toBeGreaterThanOrEqual(45);
    expect(p50).toBeLessThanOrEqual(55);
    expect(p99).toBeGreaterThanOrEqual(97);
  });
});

describe("a region's schedule lag", () => {
  it("is its slowest worker's, ignoring workers that ran nothing", () => {
    expect(regionLag([])).toEqual({ p50: null, p99: null });
    expect(
      regionLag([
        { schedule_lag_ms: { p50: 4, p99: 80 } },
        { schedule_lag_ms: null },
        { schedule_lag_ms: { p50: 9, p99: 30 } },
      ]),
    ).toEqual({ p50: 9, p99: 80 });
  });
});
