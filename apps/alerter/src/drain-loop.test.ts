import { createLogger } from "@upfleet/logger";
import { waitFor } from "@upfleet/testing";
import { describe, expect, it } from "vitest";
import { DrainLoop } from "./drain-loop.ts";

const logger = createLogger("test", "silent");

describe("DrainLoop", () => {
  it("runs batches until one finds nothing, one pass at a time, and a pass again after a wake-up during one", async () => {
    let work = 3;
    let active = 0;
    let maxActive = 0;
    let batches = 0;
    let release: () => void = () => undefined;
    let gate = Promise.resolve();
    const loop = new DrainLoop(
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
      { pollMs: 600_000, logger, failure: "failed" },
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

  it("keeps going after a failing batch: the next wake-up runs again", async () => {
    let calls = 0;
    const loop = new DrainLoop(
      async () => {
        calls++;
        if (calls === 1) throw new Error("database down");
        return false;
      },
      { pollMs: 20, logger, failure: "failed" },
    );
    loop.start();
    await waitFor(() => calls >= 2, { what: "a batch after the failure" });
    await loop.stop();
  });
});
