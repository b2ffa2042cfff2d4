import { type CheckJob, checksStreamKey, type ResultJob, resultsStreamKey, roundId } from "@upfleet/queue";
import { waitFor } from "@upfleet/testing";
import { Redis } from "ioredis";
import { describe, it } from "vitest";
import { startSandbox, storedChecks, streamedResults } from "./support.ts";

const INTERVAL_MS = 10_000;

/** The alerter's rejected results by reason (its /metrics). */
async function rejected(alerterUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${alerterUrl}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const [, reason, value] of text.matchAll(/^upfleet_results_rejected_total\{reason="(\w+)"[^}]*\} (\d+)$/gm)) {
    counts[reason as string] = Number(value);
  }
  return counts;
}

describe("results the alerter did not dispatch", { timeout: 180_000 }, () => {
  it("are dropped and counted by reason, changing nothing, while real results flow, one dispatched before a flush too", async ({
    expect,
    onTestFinished,
  }) => {
    const s = await startSandbox();
    onTestFinished(() => s.stop());
    const connection = new Redis(s.redis.url, { maxRetriesPerRequest: null });
    const tail = new Redis(s.redis.url);
    onTestFinished(() => {
      connection.disconnect();
      tail.disconnect();
    });
    const checksKey = checksStreamKey(s.redis.prefix, "local");
    const checksIn = (entries: [id: string, fields: string[]][]) =>
      entries.flatMap(([, fields]) =>
        fields.flatMap((id, i) => (i % 2 === 0 ? [{ id, check: JSON.parse(fields[i + 1]!) as CheckJob }] : [])),
      );
    /** The next check of `monitorId` added to region local's stream, read as it is added (the worker deletes it once run). */
    let seen = "$";
    const nextCheck = (monitorId: string) =>
      waitFor(
        async () => {
          const reply = (await tail.xread("BLOCK", 1_000, "STREAMS", checksKey, seen)) as
            | [string, [string, string[]][]][]
            | null;
          const entries = reply?.[0]?.[1] ?? [];
          if (entries.length > 0) seen = entries.at(-1)![0];
          return checksIn(entries).find(({ check }) => check.monitorId === monitorId && check.proof)?.check;
        },
        { timeoutMs: 30_000, what: `a check of monitor ${monitorId}` },
      );
    /** What a worker of region "local" can do with the results: add entries to its region's stream. */
    const publish = (...results: [id: string, result: unknown][]) =>
      connection.xadd(
        resultsStreamKey(s.redis.prefix, "local"),
        "*",
        ...results.flatMap(([id, result]) => [id, typeof result === "string" ? result : JSON.stringify(result)]),
      );
    const a = await s.seed.httpMonitor(`${s.target.url}/a`);
    const b = await s.seed.httpMonitor(`${s.target.url}/b`);
    const worker = await s.worker();
    const alerter = await s.alerter();
    const up = (id: string) => async () => (await s.db.monitor.findUniqueOrThrow({ where: { id } })).status === "up";
    await waitFor(async () => (await up(a.id)()) && (await up(b.id)()), {
      timeoutMs: 60_000,
      what: "both monitors up",
    });

    // What a compromised worker of region "local" holds: a check it was dispatched, proof included.
    const { spec: _, ...round } = await nextCheck(a.id);
    const later = round.tick + 100 * INTERVAL_MS;
    const down = { status: "down", responseMs: null, httpStatus: 503, error: "status", message: null };
    const forge = (fields: Partial<ResultJob>, jobId?: string) => {
      const result: ResultJob = {
        ...round,
        workerId: "wrk_forger",
        startedAt: Date.now(),
        finishedAt: Date.now(),
        result: { ...down, timings: {}, details: {} },
        ...fields,
      } as ResultJob;
      return [jobId ?? roundId(result), result] as [string, ResultJob];
    };
    // One entry holding several forgeries, as a worker's batch would, and entries of one each.
    await publish(forge({ monitorId: b.id }), forge({ region: "us" }), forge({ tick: later }));
    await publish(
      forge({ monitorId: b.id, tick: later, proof: { jobId: `${b.id}@local@${later}`, mac: "dev.forged" } }),
    );
    await publish(forge({ monitorId: b.id, tick: later + INTERVAL_MS, proof: undefined }));
    await publish(forge({}, `${roundId(round)}-again`));
    await publish(["not-a-round", "{not json"], ["mon_x@local@1", { monitorId: "mon_x" }]);
    const forgedAt = Date.now();

    const expected = {
      monitor: 1,
      region: 1,
      tick: 1,
      signature: 1,
      unsigned: 1,
      job_id: 1,
      unknown_key: 0,
      malformed: 2,
    };
    await waitFor(async () => expect(await rejected(alerter.url)).toEqual(expected), {
      timeoutMs: 30_000,
      what: "every forged result rejected",
    });
    // Entries are acknowledged and deleted once dropped or stored: then there is nothing left to wait for.
    await waitFor(async () => (await streamedResults(connection, s.redis.prefix)).length === 0, {
      timeoutMs: 30_000,
      what: "every forged entry settled",
    });

    // No row, no failed check in the rollups, no state change, no event: every stored check is a real "up".
    for (const monitor of [a, b]) {
      expect((await storedChecks(s.db, monitor.id)).filter((c) => c.status !== "up")).toEqual([]);
      const rollups = await s.db.checkRollup.findMany({ where: { monitorId: monitor.id } });
      expect(rollups.reduce((n, r) => n + r.failed, 0)).toBe(0);
      const row = await s.db.monitor.findUniqueOrThrow({ where: { id: monitor.id } });
      expect(row).toMatchObject({ status: "up", failStreak: 0 });
    }
    expect(await s.db.checkResult.count({ where: { region: "us" } })).toBe(0);
    expect(await s.db.checkResult.count({ where: { tick: { gte: new Date(later) } } })).toBe(0);
    expect(await s.db.monitorEvent.count()).toBe(0);

    // Real results go on being stored for both monitors.
    for (const monitor of [a, b]) {
      await waitFor(async () => (await storedChecks(s.db, monitor.id)).some((c) => c.checkedAt > forgedAt), {
        timeoutMs: 30_000,
        what: "a real result stored after the forgeries",
      });
    }

    // A check in flight when Redis loses its checks (a flush) still counts: its proof travels with it.
    await worker.stop("SIGKILL");
    const waiting = await waitFor(
      async () => checksIn(await connection.xrange(checksKey, "-", "+")).find(({ check }) => check.monitorId === a.id),
      { timeoutMs: 30_000, what: "a check of monitor a waiting" },
    );
    await connection.del(checksKey);
    const { spec: __, ...inFlight } = waiting.check;
    const upResult = { status: "up", responseMs: 12, httpStatus: 200, error: null, message: null } as const;
    const now = Date.now();
    await publish([
      waiting.id,
      {
        ...inFlight,
        workerId: worker.id,
        startedAt: now,
        finishedAt: now,
        result: { ...upResult, timings: {}, details: {} },
      },
    ]);
    await waitFor(async () => (await storedChecks(s.db, a.id)).some((c) => c.tick === inFlight.tick), {
      timeoutMs: 30_000,
      what: "the result of the check dispatched before the flush stored",
    });
  });
});
