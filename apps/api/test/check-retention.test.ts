import { ResultIngest } from "@upfleet/ingest";
import { resultJob } from "@upfleet/ingest/testing";
import { ensureCheckPartitions, runRetention } from "@upfleet/lifecycle";
import { createLogger } from "@upfleet/logger";
import { freezeHeldChecks } from "@upfleet/monitors";
import { maintenanceWindowRow, monitorRow } from "@upfleet/testing";
import { Registry } from "prom-client";
import { describe, expect } from "vitest";
import { apiTest } from "./support/fixtures.ts";

const DAY = 86_400_000;
const NOW = Date.now();
const utcDay = (ms: number) => Math.floor(ms / DAY) * DAY;
/** A tick `days` ago at 12:00 UTC, so a day's checks sit well inside it. */
const noonAgo = (days: number) => utcDay(NOW - days * DAY) + 12 * 3_600_000;

/** An organization on the "brief" plan keeps raw checks a week; the others the default 30 days. */
const test = apiTest({ RETENTION_PLANS: JSON.stringify({ brief: { check_days: 7 } }) });

/**
 * `history`: a monitor of the owner's with checks 40 days ago (an up, and a down in a maintenance
 * window), 35 days ago (a down), 10 days ago and yesterday (ups), stored by the real ingest.
 */
const it = test.extend<{ history: { id: string; ticks: number[] } }>({
  history: [
    async ({ api, owner, sql }, use) => {
      const db = api.deps.db;
      const monitor = await db.monitor.create({ data: monitorRow(owner.organizationId) });
      const checks = [
        [noonAgo(40), "up"],
        [noonAgo(40) + 60_000, "down"],
        [noonAgo(35), "down"],
        [noonAgo(10), "up"],
        [noonAgo(1), "up"],
      ] as const;
      const ingest = new ResultIngest({ db, sql, logger: createLogger("test", "silent"), metrics: new Registry() });
      for (const [tick, status] of checks) {
        await ingest.handle(
          resultJob({
            monitorId: monitor.id,
            organizationId: owner.organizationId,
            region: "local",
            tick,
            intervalMs: 60_000,
            status,
          }),
        );
      }
      await ingest.close();
      await db.maintenanceWindow.create({
        data: maintenanceWindowRow(
          owner.organizationId,
          [monitor.id],
          new Date(noonAgo(40) + 30_000),
          new Date(noonAgo(40) + 120_000),
        ),
      });
      // The days of these ticks get their partitions (the rows move out of the default one).
      await ensureCheckPartitions(db, new Date(NOW), 0);
      await use({ id: monitor.id, ticks: checks.map(([tick]) => tick) });
    },
    { scope: "file" },
  ],
});

const isoDay = (ms: number) => new Date(ms).toISOString();

describe("history past the raw-result retention", () => {
  it("keeps 90-day uptime, maintenance left out, once raw results are dropped", async ({ api, owner, history }) => {
    const uptime = async () =>
      (await api.request("GET", `/api/v1/monitors/${history.id}/uptime?period=90d`, { auth: owner.token })).body;
    const before = await uptime();
    // Five checks, one in maintenance: four count, one of them failed.
    expect(before).toMatchObject({ total_checks: 4, failed_checks: 1 });

    const report = await runRetention(api.deps.db, api.deps.retention, {
      beforeDrop: (day) => freezeHeldChecks(api.deps.db, day),
    });
    expect(report.partitionsDropped).toEqual(
      expect.arrayContaining(
        [40, 35].map((d) => `check_results_${isoDay(noonAgo(d)).slice(0, 10).replaceAll("-", "")}`),
      ),
    );

    expect(await uptime()).toEqual(before);
    // The window deleted since: the checks it held were counted with the day, and stay out.
    await api.deps.db.maintenanceWindow.deleteMany({ where: { organizationId: owner.organizationId } });
    expect(await uptime()).toEqual(before);
    const checks = await api.request("GET", `/api/v1/monitors/${history.id}/checks`, { auth: owner.token });
    expect(checks.body.data.map((c: { tick: string }) => c.tick)).toEqual([isoDay(noonAgo(1)), isoDay(noonAgo(10))]);
    expect(checks.body.retained_from).toBe(isoDay(utcDay(NOW - 30 * DAY)));
  });

  it("answers a range past retention with what it still has and where that ends", async ({ api, owner, history }) => {
    const since = isoDay(NOW - 60 * DAY);
    const res = await api.request("GET", `/api/v1/monitors/${history.id}/checks?since=${since}`, { auth: owner.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ next_cursor: null, retained_from: isoDay(utcDay(NOW - 30 * DAY)) });
    expect(res.body.data).toHaveLength(2);
  });

  it("hides raw checks past a plan's shorter retention, though other plans keep that day", async ({
    api,
    owner,
    history,
  }) => {
    await api.deps.db.organization.update({ where: { id: owner.organizationId }, data: { plan: "brief" } });
    const res = await api.request("GET", `/api/v1/monitors/${history.id}/checks`, { auth: owner.token });
    expect(res.body.data.map((c: { tick: string }) => c.tick)).toEqual([isoDay(noonAgo(1))]);
    expect(res.body.retained_from).toBe(isoDay(utcDay(NOW - 7 * DAY)));
  });

  it("refuses a cursor it did not give", async ({ api, owner, history }) => {
    const res = await api.request("GET", `/api/v1/monitors/${history.id}/checks?cursor=bm9wZQ`, { auth: owner.token });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([expect.objectContaining({ path: "cursor" })]);
  });
});
