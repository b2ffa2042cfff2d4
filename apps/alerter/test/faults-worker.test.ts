import { newId } from "@upfleet/ids";
import { reclaimIdleMs } from "@upfleet/queue";
import { waitFor } from "@upfleet/testing";
import { describe, it } from "vitest";
import { checksRun, missingTicks, monitorIdAtPhase, startSandbox, storedChecks, tickPhase } from "./support.ts";

/**
 * Worker faults on the real processes. Each test runs a pipeline of its own (database, Redis prefix,
 * target, alerter, workers), so the tests run side by side: most of their time is spent waiting for ticks.
 */
const INTERVAL_MS = 10_000;
/**
 * The slow check's timeout, the longest its region has: a live worker takes a dead one's entry back
 * after reclaimIdleMs of it (17 s), looking at the entry's add time plus that, or 5 s later. Either
 * moment is 2–3 s away from the monitor's own ticks (every 10 s), so the re-run's request is told
 * apart from theirs by time; an idle time a whole number of intervals plus ~1 s (8 s: 21 s) put the
 * re-run a second after a tick's request.
 */
const SLOW_TIMEOUT_MS = 6_000;

describe.concurrent("worker faults", { timeout: 150_000 }, () => {
  it("re-runs the check of a worker SIGKILLed mid-check once its entry was held too long, and stores that tick once", async ({
    expect,
    onTestFinished,
  }) => {
    const s = await startSandbox();
    onTestFinished(() => s.stop());
    // The answer takes 4 s: time enough to kill the worker while the request is open.
    s.target.behaveAt("/slow", { status: 200, delayMs: 4_000 });
    const monitor = await s.seed.httpMonitor(`${s.target.url}/slow`, { timeoutMs: SLOW_TIMEOUT_MS });
    const doomed = await s.worker();
    await s.alerter();

    const inFlight = await waitFor(() => s.target.requests.find((r) => r.path === "/slow"), {
      timeoutMs: 40_000,
      what: "a check reaching the target",
    });
    await doomed.stop("SIGKILL");
    await s.worker();

    // The killed tick must come back, and two more ticks after it: the window then spans the kill.
    const { stored, killed } = await waitFor(
      async () => {
        const stored = await storedChecks(s.db, monitor.id);
        const killed = stored.find((c) => c.tick <= inFlight.at && inFlight.at < c.tick + INTERVAL_MS);
        return killed && stored.at(-1)!.tick >= killed.tick + 2 * INTERVAL_MS ? { stored, killed } : null;
      },
      { timeoutMs: 60_000, what: "the killed tick re-run and two ticks after it stored" },
    );

    // Exactly one row for the killed tick, measured by the second worker once the first one had held
    // its entry too long (the first worker never answered: it died with the request open).
    const rows = await s.db.checkResult.count({
      where: { monitor: { id: monitor.id }, region: "local", tick: new Date(killed.tick) },
    });
    expect(rows).toBe(1);
    // Only the rescuer was alive to run it (a success stores no worker id; the timing below proves the re-run).
    expect(killed).toMatchObject({ status: "up", httpStatus: 200 });
    // The entry was read before the request reached the target (by up to a second under load): the
    // same slack as the re-run's window below.
    const heldTooLong = reclaimIdleMs(SLOW_TIMEOUT_MS);
    expect(killed.checkedAt - inFlight.at).toBeGreaterThanOrEqual(heldTooLong + 4_000 - 1_000);
    // The target saw the killed check twice: a request cut off when the worker died, before its 4 s
    // answer, and the re-run once the entry had been held too long, answered 4 s before it was stored
    // (the next ticks' requests, 10 s apart, fall outside that second and a half).
    expect(inFlight.closedAt! - inFlight.at).toBeLessThan(4_000);
    const rerun = s.target.requests.filter(
      (r) =>
        r.path === "/slow" &&
        r.at > inFlight.at + heldTooLong - 1_000 &&
        r.at > killed.checkedAt - 5_000 &&
        r.at <= killed.checkedAt - 3_500,
    );
    expect(rerun).toHaveLength(1);

    // No tick lost, none stored twice, from the first stored tick to the last.
    const ticks = stored.map((c) => c.tick);
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(missingTicks(ticks, INTERVAL_MS)).toEqual([]);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
  });

  it("with two workers in a region, checks each tick of each monitor exactly once", async ({
    expect,
    onTestFinished,
  }) => {
    const s = await startSandbox();
    onTestFinished(() => s.stop());
    const paths = ["/pair-0", "/pair-1", "/pair-2", "/pair-3", "/pair-4"];
    const monitors = await Promise.all(paths.map((path) => s.seed.httpMonitor(`${s.target.url}${path}`)));
    const workers = await Promise.all([s.worker(), s.worker()]);
    await s.alerter();

    await waitFor(
      async () => {
        const counts = await Promise.all(
          monitors.map((m) => s.db.checkResult.count({ where: { monitor: { id: m.id } } })),
        );
        return counts.every((n) => n >= 3);
      },
      { timeoutMs: 60_000, what: "three ticks stored for every monitor" },
    );
    // Requests reach the target a moment before their result is stored: compare once they agree.
    // A tick checked twice would leave the target's count above the stored one for good.
    const byMonitor = await waitFor(
      async () => {
        const all = await Promise.all(monitors.map((m) => storedChecks(s.db, m.id)));
        return all.every((checks, i) => s.target.hits.get(paths[i]!) === checks.length) ? all : null;
      },
      { timeoutMs: 20_000, what: "target hits equal to stored checks for every monitor" },
    );

    for (const checks of byMonitor) {
      const ticks = checks.map((c) => c.tick);
      expect(new Set(ticks).size).toBe(ticks.length);
      expect(missingTicks(ticks, INTERVAL_MS)).toEqual([]);
      expect(checks.every((c) => c.status === "up")).toBe(true);
    }
    // Both workers took jobs: the test is about them competing for the same queue.
    for (const worker of workers) expect(await checksRun(worker.url)).toBeGreaterThan(0);
  });

  it("does not let a target that never answers hold a worker past the check's timeout", async ({
    expect,
    onTestFinished,
  }) => {
    const s = await startSandbox();
    onTestFinished(() => s.stop());
    s.target.behaveAt("/hang", { status: 200, hang: true });
    const hangId = newId("monitor");
    // The healthy monitor's ticks come a second after the hanging one's (ticks fall on whole seconds):
    // on a worker that runs one check at a time, each of its checks waits behind a hanging request.
    const healthyId = monitorIdAtPhase(10, tickPhase(hangId, 10) + 1_000, 50);
    const hanging = await s.seed.httpMonitor(`${s.target.url}/hang`, { id: hangId, timeoutMs: 2_000 });
    const healthy = await s.seed.httpMonitor(`${s.target.url}/ok`, { id: healthyId, timeoutMs: 2_000 });
    await s.worker({ CONCURRENCY: "1" });
    await s.alerter();

    // Each healthy request paired with the hanging one of its round (the first healthy tick may come
    // before the first hanging one, with nothing to wait for).
    const rounds = () => {
      const hangs = s.target.requests.filter((r) => r.path === "/hang");
      return s.target.requests
        .filter((r) => r.path === "/ok")
        .map((ok) => ({ ok, hang: hangs.filter((h) => h.at < ok.at && ok.at - h.at < INTERVAL_MS / 2).at(-1) }))
        .filter((round) => round.hang !== undefined);
    };
    const [hangChecks, okChecks] = await waitFor(
      async () => {
        const both = await Promise.all([storedChecks(s.db, hanging.id), storedChecks(s.db, healthy.id)]);
        return both.every((checks) => checks.length >= 2) && rounds().length >= 2 ? both : null;
      },
      { timeoutMs: 60_000, what: "two rounds of both monitors checked and stored" },
    );
    expect(hangChecks.every((c) => c.status === "down" && c.error === "timeout" && c.httpStatus === null)).toBe(true);
    expect(okChecks.every((c) => c.status === "up" && c.httpStatus === 200)).toBe(true);

    // Timed at the target, where dispatch delays on a busy machine do not count: the worker hung up
    // on each hanging request at about its 2 s timeout (the timer starts a little before the request
    // arrives), and only then, since it runs one check at a time, sent the healthy monitor's request.
    for (const { ok, hang } of rounds()) {
      expect(hang!.closedAt! - hang!.at).toBeGreaterThanOrEqual(1_500);
      expect(hang!.closedAt! - hang!.at).toBeLessThan(2_000 + 2_000);
      expect(ok.at).toBeGreaterThanOrEqual(hang!.closedAt! - 50);
      expect(ok.at - hang!.closedAt!).toBeLessThan(2_000);
    }
    // No hanging request is left open once its check is over.
    await waitFor(() => s.target.open.get("/hang") === 0, { timeoutMs: 5_000, what: "hanging requests closed" });
  });

  it("on SIGTERM, finishes the check in flight, stores its result and exits 0", async ({ expect, onTestFinished }) => {
    const s = await startSandbox();
    onTestFinished(() => s.stop());
    s.target.behaveAt("/slow", { status: 200, delayMs: 3_000 });
    const monitor = await s.seed.httpMonitor(`${s.target.url}/slow`, { timeoutMs: 8_000 });
    const worker = await s.worker();
    await s.alerter();

    const inFlight = await waitFor(() => s.target.requests.find((r) => r.path === "/slow"), {
      timeoutMs: 40_000,
      what: "a check reaching the target",
    });
    const exit = await worker.stop("SIGTERM", 30_000);
    const exitedAt = Date.now();
    expect(exit).toEqual({ code: 0, signal: null });
    expect(worker.output()).toContain('"msg":"stopped"');
    // It waited for the 3 s answer before exiting.
    expect(exitedAt - inFlight.at).toBeGreaterThanOrEqual(3_000 - 50);

    const [check] = await waitFor(
      async () => {
        const stored = await storedChecks(s.db, monitor.id);
        return stored.length > 0 ? stored : null;
      },
      { timeoutMs: 15_000, what: "the finished check stored" },
    );
    expect(check).toMatchObject({ status: "up", httpStatus: 200 });
    expect(check!.tick <= inFlight.at && inFlight.at < check!.tick + INTERVAL_MS).toBe(true);
    expect(check!.responseMs).toBeGreaterThanOrEqual(3_000 - 50);
  });
});
