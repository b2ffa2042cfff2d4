import { describe, expect, it } from "vitest";
import { MicroBatcher } from "./batcher.ts";

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

describe("MicroBatcher", () => {
  it("runs the items of one turn of the event loop as one batch, answering each its own result", async () => {
    const calls: number[][] = [];
    const batcher = new MicroBatcher(async (items: number[]) => {
      calls.push(items);
      return items.map((n) => n + 1);
    });
    expect(await Promise.all([batcher.run(1), batcher.run(2), batcher.run(3)])).toEqual([2, 3, 4]);
    expect(calls).toEqual([[1, 2, 3]]);
  });

  it("gathers the items arriving while the in-flight batches run, and sends them when one ends", async () => {
    const { batches, runner, release } = gatedRunner();
    const batcher = new MicroBatcher(runner, { maxInFlight: 1 });
    const first = batcher.run(1);
    await tick();
    const later = [batcher.run(2), batcher.run(3)];
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

  it("caps a batch at maxBatch items", async () => {
    const calls: number[][] = [];
    const batcher = new MicroBatcher(
      async (items: number[]) => {
        calls.push(items);
        return items;
      },
      { maxBatch: 2, maxInFlight: 4 },
    );
    await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.run(n)));
    expect(calls).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("runs a failed batch again item by item, so only the bad item fails", async () => {
    const calls: number[][] = [];
    const batcher = new MicroBatcher(async (items: number[]) => {
      calls.push(items);
      if (items.includes(2)) throw new Error("bad item");
      return items;
    });
    const results = await Promise.allSettled([batcher.run(1), batcher.run(2), batcher.run(3)]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(calls).toEqual([[1, 2, 3], [1], [2], [3]]);
  });
});
