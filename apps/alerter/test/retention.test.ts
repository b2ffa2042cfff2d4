import { listCheckPartitions } from "@upfleet/lifecycle";
import { describe, expect } from "vitest";
import { alerterApp, it } from "./support.ts";

const DAY = 86_400_000;
const dayName = (ms: number) => `check_results_${new Date(ms).toISOString().slice(0, 10).replaceAll("-", "")}`;

describe("data lifecycle on the alerter", () => {
  it("makes partitions ahead at start, and the lease holder drops days past retention on schedule", async ({
    db,
    services,
    apps,
    httpMonitor,
  }) => {
    const { seq } = await httpMonitor("https://example.com", { paused: true });
    // A result 40 days old: it waits in the default partition, which the alerter sorts out at start.
    const old = new Date(Date.now() - 40 * DAY);
    await db.checkResult.create({
      data: { monitorSeq: seq, tick: old, checkedAt: old, region: "local", status: "up" },
    });

    const alerter = await apps.start(alerterApp(services, { RETENTION_SCHEDULE: "*/2 * * * * *" }));
    const run = await alerter.waitForLog((e) => e.msg === "retention run", 30_000);
    expect(run.partitionsDropped).toContain(dayName(old.getTime()));
    expect(await db.checkResult.count({ where: { monitorSeq: seq } })).toBe(0);

    const names = (await listCheckPartitions(db)).map((p) => p.name);
    for (let ahead = 0; ahead <= 3; ahead++) expect(names).toContain(dayName(Date.now() + ahead * DAY));
    const metrics = await (await fetch(`${alerter.url}/metrics`)).text();
    expect(metrics).toMatch(/^upfleet_retention_partitions_dropped_total{[^}]*} [1-9]/m);
  });
});
