import { waitFor } from "@upfleet/testing";
import { describe, expect, it } from "vitest";
import { Loop } from "./loop.ts";

const ignore = () => undefined;

describe("Loop", () => {
  it("drains: runs batches until one finds nothing, one pass at a time, and a pass again after a wake-up during one", async () => {
    let work = 3;
    let active = 0;
    let maxActive = 0;
    let batches = 0;
    let release: () => void = () => undefined;
    let gate = Promise.resolve();
    const loop = new Loop(
      async () => {
        batches++;
        active++;
        maxActive = Math.max(maxActive, active);
        await gate;
        active--;
        if (work === 0) return false;
        work--;
        return true;
      },
      { everyMs: 600_000, onError: ignore },
    );
    loop.start();
    await waitFor(() => batches === 4, { what: "the first pass drained" });
    await waitFor(() => active === 0, { what: "the pass over" });

    gate = new Promise((resolve) => {
      release = resolve;
    });
    loop.wake();
    await waitFor(() => batches === 5, { what: "a second pass started" });
    work = 1;
    loop.wake();
    loop.wake();
    release();
    // The pass under way finds the new work, then one more pass runs for the wake-ups it covered.
    await waitFor(() => active === 0 && work === 0 && batches === 7, { what: "the pass after the wake-ups" });
    await loop.stop();
    expect(maxActive).toBe(1);
    loop.wake();
    expect(batches).toBe(7);
  });

  it("keeps going after failing passes (the next tick runs again), reporting them at most once every 10 s", async () => {
    let calls = 0;
    const errors: unknown[] = [];
    const loop = new Loop(
      async () => {
        calls++;
        if (calls <= 4) throw new Error("database down");
        return false;
      },
      { everyMs: 5, onError: (error) => errors.push(error) },
    );
    loop.start();
    await waitFor(() => calls >= 5, { what: "a pass after the failures" });
    await loop.stop();
    expect(errors).toHaveLength(1);
  });

  it("retries a failed pass on its own long before the net, half a second later and then twice as late", async () => {
    const at: number[] = [];
    const loop = new Loop(
      async () => {
        at.push(Date.now());
        if (at.length <= 2) throw new Error("pool busy");
        return false;
      },
      { everyMs: 600_000, onError: ignore },
    );
    loop.start();
    await waitFor(() => at.length === 3, { timeoutMs: 5_000, what: "the pass after two failures" });
    await loop.stop();
    const [first, second, third] = at as [number, number, number];
    expect(second - first).toBeGreaterThanOrEqual(500);
    expect(third - second).toBeGreaterThanOrEqual(1_000);
    // Bounds far from the 10-minute net, loose enough for a loaded machine's late timers.
    expect(third - first).toBeLessThan(4_000);
  });

  it("runs at start and on its timer; a tick or a run() during a pass joins it; stop ends the ticks", async () => {
    let passes = 0;
    let concurrent = 0;
    let most = 0;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Counts every run(): the timer's ticks call it too.
    const loop = new (class extends Loop {
      runs = 0;
      override run() {
        this.runs++;
        return super.run();
      }
    })(
      async () => {
        passes++;
        concurrent++;
        most = Math.max(most, concurrent);
        await held;
        concurrent--;
      },
      { everyMs: 10, onError: ignore },
    );
    loop.start();
    // Joined while the first pass is held, as are the ticks that fall due meanwhile: still one pass.
    const joined = Promise.all([loop.run(), loop.run()]);
    await waitFor(() => loop.runs >= 5, { what: "two ticks during the held pass" });
    release();
    await joined;
    expect(passes).toBe(1);
    await waitFor(() => passes >= 3, { what: "passes on the timer" });
    await loop.stop();
    const after = passes;
    // Nothing to wait for here: the point is that no tick comes, over five of its intervals.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(passes).toBe(after);
    expect(most).toBe(1);
  });

  it("wakeAt runs a pass when work comes due, the soonest instant winning; forgetWake drops it", async () => {
    const passes: number[] = [];
    const loop = new Loop(
      async () => {
        passes.push(Date.now());
      },
      { everyMs: 600_000, onError: ignore },
    );
    loop.start();
    await loop.run();
    const start = Date.now();
    loop.wakeAt(start + 1_000);
    loop.wakeAt(start + 100);
    loop.wakeAt(start + 500);
    await waitFor(() => passes.length === 2, { what: "the pass at the soonest instant" });
    expect(passes[1]! - start).toBeGreaterThanOrEqual(100);
    expect(passes[1]! - start).toBeLessThan(1_000);

    const forgotten = Date.now();
    loop.wakeAt(forgotten + 100);
    loop.forgetWake();
    // Kept only because the one before it was forgotten.
    loop.wakeAt(forgotten + 300);
    await waitFor(() => passes.length === 3, { what: "the pass at the instant set after forgetting" });
    expect(passes[2]! - forgotten).toBeGreaterThanOrEqual(300);
    await loop.stop();
  });
});
