import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_DELAYS, maxAttempts, parseRetryDelays, scheduledDelay } from "./retry-schedule.ts";

describe("the retry schedule", () => {
  it("is API.md's by default: 6 attempts, retried after 10 s, 1 min, 5 min, 30 min and 2 h", () => {
    const delays = parseRetryDelays(DEFAULT_RETRY_DELAYS);
    expect(delays).toEqual([10_000, 60_000, 300_000, 1_800_000, 7_200_000]);
    expect(maxAttempts(delays)).toBe(6);
  });

  it("reads ms, s, m and h, with spaces around entries", () => {
    expect(parseRetryDelays(" 200ms, 1s ,2m,1h")).toEqual([200, 1_000, 120_000, 3_600_000]);
  });

  it.each(["", " , ", "10", "1.5s", "-1s", "10 s", "1d", "25h", "s"])("refuses %j, naming the problem", (text) => {
    expect(() => parseRetryDelays(text)).toThrow(/duration|at least one|24h/);
  });

  it("gives the wait after each failed attempt, and null after the last", () => {
    const delays = [10, 20];
    expect(scheduledDelay(delays, 1)).toBe(10);
    expect(scheduledDelay(delays, 2)).toBe(20);
    expect(scheduledDelay(delays, 3)).toBeNull();
  });
});
