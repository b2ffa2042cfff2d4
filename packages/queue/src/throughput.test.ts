import { describe, expect, it } from "vitest";
import { MinuteCounter } from "./throughput.ts";

describe("MinuteCounter", () => {
  it("counts what was added in the last minute and forgets older seconds", () => {
    const counter = new MinuteCounter();
    const start = 1_000_000_000;
    counter.add(3, start);
    counter.add(1, start + 30_000);
    expect(counter.total(start + 30_500)).toBe(4);
    expect(counter.total(start + 59_999)).toBe(4);
    expect(counter.total(start + 60_000)).toBe(1);
    expect(counter.total(start + 91_000)).toBe(0);
  });
});
