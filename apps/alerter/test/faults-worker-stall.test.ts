import { waitFor } from "@upfleet/testing";
import { describe, it } from "vitest";
import { startSandbox, storedChecks, tickPhase } from "./support.ts";

const INTERVAL_MS = 10_000;
/** A check nearly as long as its interval, killed near its end. */
const CHECK_MS = 9_000;

/**
 * Issue #14 point 8: a worker killed mid-check lost the tick when the check had run ≥ 7.5 s, as its
 * job came back after the stale cutoff (tick + 2 intervals) and the rescuer skipped it. A check taken
 * back from a dead worker gets the time its take-back may need on top of that cutoff (stale.ts).
 */
describe("a worker killed late in a long check", { timeout: 150_000 }, () => {
  it("has its tick re-run by another worker and stored once", async ({ expect, onTestFinished }) => {
    const s = await startSandbox();
    onTestFinished(() => s.stop());
    s.target.behaveAt("/long", { status: 200, delayMs: CHECK_MS });
    const monitor = await s.seed.httpMonitor(`${s.target.url}/long`, { timeoutMs: CHECK_MS + 500 });
    const doomed = await s.worker();
    await s.alerter();

    const inFlight = await waitFor(() => s.target.requests.find((r) => r.path === "/long"), {
      timeoutMs: 40_000,
      what: "a check reaching the target",
    });
    const phase = tickPhase(monitor.id, INTERVAL_MS / 1000);
    const killedTick = inFlight.at - ((((inFlight.at - phase) % INTERVAL_MS) + INTERVAL_MS) % INTERVAL_MS);
    // Late in the check, before the 9 s answer.
    await waitFor(() => Date.now() >= inFlight.at + 8_000, {
      timeoutMs: 10_000,
      intervalMs: 50,
      what: "8 s into the check",
    });
    await doomed.stop("SIGKILL");
    await s.worker();

    // Three ticks after the killed one are stored: by then its re-run, if any, has long been stored too.
    const stored = await waitFor(
      async () => {
        const stored = await storedChecks(s.db, monitor.id);
        return stored.some((c) => c.tick >= killedTick + 3 * INTERVAL_MS) ? stored : null;
      },
      { timeoutMs: 90_000, what: "three ticks after the killed one stored" },
    );
    const killed = stored.filter((c) => c.tick === killedTick);
    expect(killed).toHaveLength(1);
    expect(killed[0]).toMatchObject({ status: "up", httpStatus: 200 });
    // It was measured by the rescuer: the killed request never got its answer.
    expect(inFlight.closedAt! - inFlight.at).toBeLessThan(CHECK_MS);
    const ticks = stored.map((c) => c.tick).filter((t) => t >= killedTick);
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(ticks.slice(0, 4)).toEqual([0, 1, 2, 3].map((i) => killedTick + i * INTERVAL_MS));
  });
});
