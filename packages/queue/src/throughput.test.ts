import { describe, expect, it } from "vitest";
import { completedLastMinute } from "./throughput.ts";

const minute = (m: number, s = 0) => m * 60_000 + s * 1_000;
const meta = (count: number, prevTS: number, prevCount: number) => ({ count, prevTS, prevCount });

describe("jobs completed in the last whole minute", () => {
  it("reads the newest point when it was written this minute", () => {
    expect(completedLastMinute({ meta: meta(50, minute(10, 3), 40), data: [40, 7] }, minute(10, 30))).toBe(40);
  });

  it("counts the open minute when the newest point was written in the last one", () => {
    expect(completedLastMinute({ meta: meta(70, minute(9, 3), 40), data: [40] }, minute(10, 30))).toBe(30);
  });

  it("says 0 once no job completed for a whole minute, whatever the newest point says", () => {
    expect(completedLastMinute({ meta: meta(70, minute(8, 59), 40), data: [40] }, minute(10, 0))).toBe(0);
    expect(completedLastMinute({ meta: meta(0, 0, 0), data: [] }, minute(10))).toBe(0);
  });
});
