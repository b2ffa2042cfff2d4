import { describe, expect, it } from "vitest";
import { nextTickAfter, tickAtOrBefore, tickOffsetMs } from "./schedule.ts";

describe("tick grid", () => {
  it("puts every tick of a monitor on its own grid", () => {
    const interval = 30_000;
    const first = nextTickAfter("mon_a", interval, 1_000_000);
    expect(first).toBeGreaterThan(1_000_000);
    expect(first - 1_000_000).toBeLessThanOrEqual(interval);
    expect(nextTickAfter("mon_a", interval, first)).toBe(first + interval);
    expect(tickAtOrBefore("mon_a", interval, first + 5)).toBe(first);
    expect(tickAtOrBefore("mon_a", interval, first)).toBe(first);
    expect((first - tickOffsetMs("mon_a", interval)) % interval).toBe(0);
  });

  it("spreads monitors with the same interval over the interval", () => {
    const interval = 60_000;
    const seconds = new Set<number>();
    for (let i = 0; i < 1000; i++) seconds.add(Math.floor(tickOffsetMs(`mon_${i.toString(36)}x`, interval) / 1000));
    // 1,000 monitors over 60 one-second slots: nearly every slot is used, none holds them all.
    expect(seconds.size).toBeGreaterThan(55);
  });

  it("puts ticks on whole seconds, so the monitors due within a second go together", () => {
    for (let i = 0; i < 100; i++) {
      const id = `mon_${i.toString(36)}q`;
      expect(tickOffsetMs(id, 30_000) % 1000).toBe(0);
      expect(nextTickAfter(id, 30_000, 1_000_123) % 1000).toBe(0);
    }
  });

  it("is the same in every process", () => {
    expect(tickOffsetMs("mon_01abc", 30_000)).toBe(tickOffsetMs("mon_01abc", 30_000));
  });
});
