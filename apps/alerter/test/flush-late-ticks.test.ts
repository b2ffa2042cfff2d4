import { waitFor } from "@upfleet/testing";
import { describe, it } from "vitest";
import { flushableSandbox, missingTicks, storedChecks } from "./support.ts";

const INTERVAL_MS = 10_000;
/** Reserved for this file's FLUSHDB: nothing else may keep keys in this logical database. */
const FLUSHED_DB = 8;

describe("a schedule lost to FLUSHALL", { timeout: 180_000 }, () => {
  it("is rebuilt with the ticks that fell due meanwhile sent late: no tick of any monitor is lost", async ({
    expect,
    onTestFinished,
  }) => {
    const { s, flush } = await flushableSandbox(FLUSHED_DB, onTestFinished);
    // Ten monitors spread over the interval: a few fall due in the seconds the schedule is gone.
    const monitors = await Promise.all(
      Array.from({ length: 10 }, (_, i) => s.seed.httpMonitor(`${s.target.url}/m/${i}`)),
    );
    await s.worker();
    await s.alerter();
    await waitFor(
      async () => (await Promise.all(monitors.map((m) => storedChecks(s.db, m.id)))).every((c) => c.length >= 1),
      { timeoutMs: 60_000, what: "every monitor checked before the flush" },
    );

    const flushedAt = await flush();

    const checks = await waitFor(
      async () => {
        const all = await Promise.all(monitors.map((m) => storedChecks(s.db, m.id)));
        return all.every((c) => c.some((check) => check.tick > flushedAt + 2 * INTERVAL_MS)) ? all : null;
      },
      { timeoutMs: 90_000, what: "checks two intervals past the flush" },
    );
    const lost = checks.flatMap((c, i) =>
      missingTicks(
        c.map((check) => check.tick),
        INTERVAL_MS,
      ).map((tick) => `${monitors[i]!.id} ${tick - flushedAt} ms after the flush`),
    );
    expect(lost).toEqual([]);
  });
});
