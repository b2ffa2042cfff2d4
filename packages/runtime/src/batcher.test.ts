import { waitFor } from "@upfleet/testing";
import { describe, expect, it } from "vitest";
import { Batcher } from "./batcher.ts";

/** A runner that records its batches and answers when `release` is called. */
function gatedRunner() {
  const batches: number[][] = [];
  const releases: (() => void)[] = [];
  const runner = (items: number[]) => {
    batches.push(items);
    return new Promise<number[]>((resolve) => releases.push(() => resolve(items.map((n) => n * 10))));
  };
  return { batches, runner, release: () => releases.shift()?.() };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("Batcher", () => {
  it("runs the items of one turn of the event loop as one batch, answering each its own result", async () => {
    const calls: number[][] = [];
    const batcher = new Batcher(async (items: number[]) => {
      calls.push(items);
      return items.map((n) => n + 1);
    });
    expect(await Promise.all([batcher.add(1), batcher.add(2), batcher.add(3)])).toEqual([2, 3, 4]);
    expect(calls).toEqual([[1, 2, 3]]);
  });

  it("gathers the items arriving while the in-flight batches run, and sends them when one ends", async () => {
    const { batches, runner, release } = gatedRunner();
    const batcher = new Batcher(runner, { maxInFlight: 1 });
    const first = batcher.add(1);
    await tick();
    const later = [batcher.add(2), batcher.add(3)];
    await tick();
    expect(batches).toEqual([[1]]);
    expect(batcher.waiting).toBe(2);
    release();
    expect(await first).toBe(10);
    await tick();
    expect(batches).toEqual([[1], [2, 3]]);
    release();
    expect(await Promise.all(later)).toEqual([20, 30]);
  });

  it("caps a batch at maxBatch items, a full batch going without waiting", async () => {
    const calls: number[][] = [];
    const batcher = new Batcher(
      async (items: number[]) => {
        calls.push(items);
        return items;
      },
      { maxBatch: 2, maxInFlight: 4, maxWaitMs: 600_000 },
    );
    const full = Promise.all([1, 2, 3, 4].map((n) => batcher.add(n)));
    expect(await full).toEqual([1, 2, 3, 4]);
    expect(calls).toEqual([
      [1, 2],
      [3, 4],
    ]);
    const last = batcher.add(5);
    await batcher.close();
    expect(await last).toBe(5);
    expect(calls.at(-1)).toEqual([5]);
  });

  it("gathers for maxWaitMs after a batch's first item", async () => {
    const calls: number[][] = [];
    const batcher = new Batcher(
      async (items: number[]) => {
        calls.push(items);
      },
      { maxWaitMs: 40 },
    );
    const started = Date.now();
    const first = batcher.add(1);
    await tick();
    const second = batcher.add(2);
    expect(calls).toEqual([]);
    await Promise.all([first, second]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
    expect(calls).toEqual([[1, 2]]);
  });

  it("fails the whole batch by default; with isolateFailures runs it again item by item, so only the bad item fails", async () => {
    const calls: number[][] = [];
    const runner = async (items: number[]) => {
      calls.push(items);
      if (items.includes(2)) throw new Error("bad item");
      return items;
    };
    const together = new Batcher(runner);
    const all = await Promise.allSettled([together.add(1), together.add(2), together.add(3)]);
    expect(all.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);

    calls.length = 0;
    const isolated = new Batcher(runner, { isolateFailures: true });
    const results = await Promise.allSettled([isolated.add(1), isolated.add(2), isolated.add(3)]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(calls).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it("close runs what is waiting and in flight, then refuses new items", async () => {
    const { batches, runner, release } = gatedRunner();
    const batcher = new Batcher(runner, { maxWaitMs: 600_000 });
    const first = batcher.add(1);
    const closed = batcher.close();
    const second = batcher.add(2);
    await expect(second).rejects.toThrow("closed");
    await waitFor(() => batches.length === 1, { what: "the waiting item sent at close" });
    let done = false;
    void closed.then(() => {
      done = true;
    });
    await tick();
    expect(done).toBe(false);
    release();
    await closed;
    expect(await first).toBe(10);
  });
});
