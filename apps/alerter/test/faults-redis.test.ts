import { RESULTS_GROUP, resultsStreamKey, ScheduleStore } from "@upfleet/queue";
import { waitFor } from "@upfleet/testing";
import { Redis } from "ioredis";
import { describe, it } from "vitest";
import { flushableSandbox, startSandbox, storedChecks, streamedResults } from "./support.ts";

/**
 * Faults of the control plane's state in Redis: Redis losing everything, and the alerter dying while
 * results wait for it there. Each test runs a pipeline of its own, so they run side by side.
 */
const INTERVAL_MS = 10_000;
/** Reserved for the FLUSHDB test: nothing else may keep keys in this logical database. */
const FLUSHED_DB = 7;

describe.concurrent("Redis and alerter faults", { timeout: 180_000 }, () => {
  it("after FLUSHDB, rebuilds the schedule from PostgreSQL and resumes checks within a minute, losing nothing", async ({
    expect,
    onTestFinished,
  }) => {
    const { s, redis, flush } = await flushableSandbox(FLUSHED_DB, onTestFinished);
    const store = new ScheduleStore(redis, s.redis.prefix);
    const monitor = await s.seed.httpMonitor(`${s.target.url}/flush`);
    const paused = await s.seed.httpMonitor(`${s.target.url}/paused`, { paused: true });
    await s.worker();
    await s.alerter();
    await waitFor(async () => (await storedChecks(s.db, monitor.id)).length > 0, {
      timeoutMs: 60_000,
      what: "checks flowing before the flush",
    });

    // The minutely reconciliation is the slowest way back: flushing just after a minute begins is the
    // worst case for "within a minute".
    await waitFor(() => new Date().getSeconds() >= 1 && new Date().getSeconds() <= 5, {
      timeoutMs: 65_000,
      intervalMs: 100,
      what: "the first seconds of a minute",
    });
    const definitions = () =>
      s.db.monitor.findMany({
        select: { id: true, type: true, settings: true, intervalSeconds: true, regions: true, paused: true },
        orderBy: { id: "asc" },
      });
    const monitorsBefore = await definitions();
    const byKey = [{ monitorSeq: "asc" }, { tick: "asc" }, { region: "asc" }] as const;
    const resultsBefore = await s.db.checkResult.findMany({ orderBy: [...byKey] });
    const flushedAt = await flush();

    // The alerter's scheduler lease went with the rest: re-taking it rebuilds the schedule at once,
    // without waiting for the next minute's reconciliation.
    await waitFor(async () => (await store.nextDue(monitor.id)) !== null, {
      timeoutMs: 60_000,
      what: "the monitor's schedule back in Redis",
    });
    expect(Date.now()).toBeLessThan(Math.ceil(flushedAt / 60_000) * 60_000);
    expect((await store.snapshot()).versions.has(monitor.id)).toBe(true);
    expect(await store.nextDue(paused.id)).toBeNull();

    const resumed = await waitFor(
      async () => (await storedChecks(s.db, monitor.id)).find((check) => check.tick > flushedAt),
      { timeoutMs: 60_000 - (Date.now() - flushedAt), what: "a check of a tick after the flush stored" },
    );
    expect(resumed.checkedAt - flushedAt).toBeLessThan(60_000);

    // PostgreSQL lost nothing: the definitions and every earlier result are as they were.
    expect(await definitions()).toEqual(monitorsBefore);
    const earlier = await s.db.checkResult.findMany({
      where: { OR: resultsBefore.map(({ monitorSeq, tick, region }) => ({ monitorSeq, tick, region })) },
      orderBy: [...byKey],
    });
    expect(earlier).toEqual(resultsBefore);
    const ticks = (await storedChecks(s.db, monitor.id)).map((c) => c.tick);
    expect(new Set(ticks).size).toBe(ticks.length);
  });

  it("keeps results published while the alerter is down in the stream, and stores them once after it restarts", async ({
    expect,
    onTestFinished,
  }) => {
    const s = await startSandbox();
    onTestFinished(() => s.stop());
    const redis = new Redis(s.redis.url);
    onTestFinished(() => redis.disconnect());
    // Answers take 3 s, so a check can be in flight when the alerter dies and finish while it is down.
    s.target.behaveAt("/slow", { status: 200, delayMs: 3_000 });
    const monitor = await s.seed.httpMonitor(`${s.target.url}/slow`, { timeoutMs: 8_000 });
    await s.worker();
    const alerter = await s.alerter();
    await waitFor(async () => (await storedChecks(s.db, monitor.id)).length > 0, {
      timeoutMs: 60_000,
      what: "results stored before the alerter dies",
    });
    const seen = s.target.requests.length;
    const inFlight = await waitFor(() => s.target.requests[seen], { timeoutMs: 30_000, what: "the next check" });
    await alerter.stop("SIGKILL");

    // The worker finishes the check and publishes its result; with no alerter, it waits in the stream.
    const waiting = await waitFor(
      async () => (await streamedResults(redis, s.redis.prefix)).find((r) => r.result.monitorId === monitor.id),
      { timeoutMs: 20_000, what: "the result waiting in the results stream" },
    );
    const { tick } = waiting.result;
    expect(tick <= inFlight.at && inFlight.at < tick + INTERVAL_MS).toBe(true);
    expect(waiting.id).toBe(`${monitor.id}@local@${tick}`);
    expect(await s.db.checkResult.count({ where: { monitor: { id: monitor.id }, tick: new Date(tick) } })).toBe(0);

    const restartedAt = Date.now();
    await s.alerter();
    await waitFor(() => s.db.checkResult.findFirst({ where: { monitor: { id: monitor.id }, tick: new Date(tick) } }), {
      timeoutMs: 30_000,
      what: "the waiting result stored by the new alerter",
    });
    // Checks go on under the new alerter; every request the target saw is stored exactly once.
    const stored = await waitFor(
      async () => {
        const checks = await storedChecks(s.db, monitor.id);
        const resumed = checks.some((c) => c.tick > restartedAt);
        return resumed && s.target.hits.get("/slow") === checks.length ? checks : null;
      },
      { timeoutMs: 60_000, what: "checks after the restart, each request stored once" },
    );
    const ticks = stored.map((c) => c.tick);
    expect(new Set(ticks).size).toBe(ticks.length);
    // Stored entries are acknowledged and deleted: the stream does not keep what was stored.
    const key = resultsStreamKey(s.redis.prefix, "local");
    await waitFor(async () => (await redis.xlen(key)) === 0, { timeoutMs: 45_000, what: "the stream emptied" });
    expect((await redis.xpending(key, RESULTS_GROUP))[0]).toBe(0);
  });
});
