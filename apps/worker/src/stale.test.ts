import { reclaimIdleMs } from "@upfleet/queue";
import { describe, expect, it } from "vitest";
import { isStale, staleCutoffMs } from "./stale.ts";

const check = { tick: 0, intervalMs: 10_000 };
/** A take-back as a worker's consumer times it for a region whose longest timeout is 9.5 s, reclaiming every 5 s. */
const recoveryMs = reclaimIdleMs(9_500) + 5_000 + 5_000;

describe("stale cutoff", () => {
  it("skips a fresh check past two intervals, as a worker back from a partition must", () => {
    expect(isStale({ ...check, stalls: 0, recoveryMs }, 20_000)).toBe(false);
    expect(isStale({ ...check, stalls: 0, recoveryMs }, 20_001)).toBe(true);
  });

  it("runs a check taken back from a worker that died holding it, read at the last moment", () => {
    // The dead worker read it at the cutoff; a live one claims it once idle that long, at its next pass.
    const claimed = 2 * check.intervalMs + reclaimIdleMs(9_500) + 5_000;
    expect(isStale({ ...check, stalls: 1, recoveryMs }, claimed)).toBe(false);
    // And again after a second death, which read it inside the first take-back's cutoff.
    expect(isStale({ ...check, stalls: 2, recoveryMs }, claimed + reclaimIdleMs(9_500) + 5_000)).toBe(false);
  });

  it("grows by the take-back's time per stall, and only then", () => {
    const [none, one, two] = [0, 1, 2].map((stalls) => staleCutoffMs({ ...check, stalls, recoveryMs }));
    expect(one! - none!).toBe(recoveryMs);
    expect(two! - one!).toBe(recoveryMs);
  });
});
