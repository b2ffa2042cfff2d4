import { bucketIndex, emptyHistogram } from "@upfleet/monitoring";
import { monitorRow } from "@upfleet/testing";
import { test as it } from "@upfleet/testing/fixtures";
import { describe, expect } from "vitest";
import { storeBatch } from "./store-results.ts";
import { resultJob } from "./testing.ts";

const HOUR_MS = 3_600_000;
const T0 = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 30 * HOUR_MS;

describe("storing a batch", () => {
  it("is all or nothing, and a retried batch's rollups equal a recount of its rows", async ({
    db,
    sql,
    organizationId,
  }) => {
    const row = monitorRow(organizationId, { regions: ["eu", "us"] });
    await db.monitor.create({ data: row });
    const monitorId = row.id as string;
    // Ticks across two hours and two days, with ups, downs (no response time) and odd response times.
    const statuses = ["up", "down", "degraded", "up"] as const;
    const jobs = Array.from({ length: 40 }, (_, i) => {
      const job = resultJob({
        monitorId,
        organizationId,
        region: i % 2 ? "eu" : "us",
        tick: T0 + Math.floor(i / 2) * 50 * 60_000,
        intervalMs: 60_000,
        status: statuses[i % 4]!,
      });
      if (job.result.responseMs !== null) job.result.responseMs = [3, 10, 11, 99.6, 250, 40_000][i % 6]!;
      return job;
    });

    // The rollup part of the statement fails: nothing of the batch may stay behind.
    await db.$executeRawUnsafe(`CREATE FUNCTION fail_rollups() RETURNS trigger LANGUAGE plpgsql AS
      'BEGIN RAISE EXCEPTION ''injected rollup failure''; END'`);
    await db.$executeRawUnsafe(
      "CREATE TRIGGER fail_rollups BEFORE INSERT ON check_rollups FOR EACH ROW EXECUTE FUNCTION fail_rollups()",
    );
    await expect(storeBatch(sql, jobs)).rejects.toThrow(/injected rollup failure/);
    expect(await db.checkResult.count({ where: { monitor: { id: monitorId } } })).toBe(0);

    // The retry (the stream redelivers the entries) stores everything, once, even delivered twice more;
    // every delivery reads back the same open rounds, so one whose state was never written decides them.
    await db.$executeRawUnsafe("DROP TRIGGER fail_rollups ON check_rollups");
    const first = await storeBatch(sql, jobs);
    expect(first.inserted).toBe(40);
    const again = await storeBatch(sql, jobs);
    expect(again.inserted).toBe(0);
    expect(again.undecided).toEqual(first.undecided);
    expect(first.undecided.monitors.map((m) => m.id)).toEqual([monitorId]);
    // Those of the last day: older results are never a round to decide.
    const recent = jobs.filter((j) => j.tick > Date.now() - 24 * HOUR_MS);
    expect(first.undecided.results).toHaveLength(recent.length);

    const raw = await db.checkResult.findMany({ where: { monitor: { id: monitorId } } });
    expect(raw).toHaveLength(40);
    const recount = new Map<
      string,
      { checks: number; failed: number; degraded: number; sum: number; n: number; histogram: number[] }
    >();
    for (const r of raw) {
      for (const span of [3600, 86_400]) {
        const bucket = Math.floor(r.tick.getTime() / (span * 1000)) * span * 1000;
        const key = `${span}|${bucket}`;
        const c = recount.get(key) ?? { checks: 0, failed: 0, degraded: 0, sum: 0, n: 0, histogram: emptyHistogram() };
        c.checks += 1;
        if (r.status === "down") c.failed += 1;
        if (r.status === "degraded") c.degraded += 1;
        if (r.responseMs !== null) {
          c.sum += r.responseMs;
          c.n += 1;
          c.histogram[bucketIndex(r.responseMs)]! += 1;
        }
        recount.set(key, c);
      }
    }
    const rollups = await db.checkRollup.findMany({ where: { monitorId } });
    expect(rollups).toHaveLength(recount.size);
    for (const r of rollups) {
      const c = recount.get(`${r.span}|${r.bucket.getTime()}`);
      expect(r, `rollup ${r.span} ${r.bucket.toISOString()}`).toMatchObject({
        checks: c?.checks,
        failed: c?.failed,
        degraded: c?.degraded,
        responseSumMs: BigInt(c?.sum ?? -1),
        responseCount: c?.n,
        histogram: c?.histogram,
      });
    }
  });
});
