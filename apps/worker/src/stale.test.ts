import { CHECK_WORKER_LOCK_MS } from "@upfleet/queue";
import { describe, expect, it } from "vitest";
import { isStale, STALLED_CHECK_EVERY_MS, staleCutoffMs } from "./stale.ts";

const job = { tick: 0, intervalMs: 10_000, timeoutMs: 9_500 };

describe("stale cutoff", () => {
  it("skips a fresh job past two intervals, as a worker back from a partition must", () => {
    expect(isStale({ ...job, stalls: 0 }, 20_000)).toBe(false);
    expect(isStale({ ...job, stalls: 0 }, 20_001)).toBe(true);
  });

  it("runs a job taken back from a worker that died at the end of its check, started at the last moment", () => {
    // The dead worker started at the cutoff and died just before publishing, right after renewing its lock.
    const lockGone = 2 * job.intervalMs + job.timeoutMs + CHECK_WORKER_LOCK_MS;
    const backInWait = lockGone + 2 * STALLED_CHECK_EVERY_MS;
    expect(isStale({ ...job, stalls: 1 }, backInWait)).toBe(false);
    // And again after a second death, which started the re-run inside the first stall's cutoff.
    expect(isStale({ ...job, stalls: 2 }, backInWait + job.timeoutMs + CHECK_WORKER_LOCK_MS + 2_000)).toBe(false);
  });

  it("grows by the same time per stall, and only then", () => {
    const [none, one, two] = [0, 1, 2].map((stalls) => staleCutoffMs({ ...job, stalls }));
    expect(one! - none!).toBe(two! - one!);
    expect(one! - none!).toBeGreaterThanOrEqual(job.timeoutMs + CHECK_WORKER_LOCK_MS + 2 * STALLED_CHECK_EVERY_MS);
  });
});
