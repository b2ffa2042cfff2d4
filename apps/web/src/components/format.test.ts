import { describe, expect, it } from "vitest";
import { ago, duration, millis, percent } from "./format.ts";

describe("formats", () => {
  it("never rounds an imperfect uptime up to 100 %", () => {
    expect(percent(99.999)).toBe("99.99 %");
    expect(percent(100)).toBe("100 %");
    expect(percent(97.5)).toBe("97.50 %");
    expect(percent(null)).toBe("—");
  });

  it("shows response times in ms, long ones in seconds", () => {
    expect(millis(42.4)).toBe("42 ms");
    expect(millis(12_345)).toBe("12.3 s");
    expect(millis(undefined)).toBe("—");
  });

  it("says how long ago in the largest unit that fits", () => {
    const now = Date.parse("2026-01-01T12:00:00Z");
    expect(ago("2026-01-01T11:59:30Z", now)).toBe("30 seconds ago");
    expect(ago("2026-01-01T11:55:00Z", now)).toBe("5 minutes ago");
    expect(ago("2026-01-01T14:00:00Z", now)).toBe("in 2 hours");
    expect(ago(null, now)).toBe("—");
  });

  it("writes run durations as a person would", () => {
    expect(duration(850)).toBe("850 ms");
    expect(duration(12_000)).toBe("12 s");
    expect(duration(185_000)).toBe("3 min 5 s");
    expect(duration(7_260_000)).toBe("2 h 1 min");
    expect(duration(null)).toBe("—");
  });
});
