import { type CheckBacklog, regionOverview, type WorkerInfo } from "@upfleet/queue";
import { describe, expect, it } from "vitest";

const nothingWaits = {
  backlog: async (): Promise<CheckBacklog> => ({
    waitingEntries: 0,
    waitingChecks: 0,
    pendingEntries: 0,
    oldest: undefined,
  }),
};

const worker = (region: string, checksPerMinute: number): WorkerInfo => ({
  id: `wrk_${region}_${checksPerMinute}`,
  region,
  hostname: "test",
  version: "0",
  concurrency: 50,
  in_flight: 0,
  started_at: new Date().toISOString(),
  last_seen_at: new Date().toISOString(),
  schedule_lag_ms: null,
  checks_per_minute: checksPerMinute,
  icmp: true,
  icmp_problem: null,
});

/**
 * Issue #14 point 8: /regions kept showing checks_per_minute for a region whose workers were all gone.
 * It is now the sum of what the region's live workers ran in the last minute, so a region without
 * live workers reads 0.
 */
describe("checks per minute in the region overview", () => {
  it("sums the region's live workers' last minute, and is 0 once they are gone", async () => {
    const rows = await regionOverview(
      ["eu", "gone1"],
      [worker("eu", 30), worker("eu", 12), worker("us", 7)],
      nothingWaits,
    );
    expect(rows.map((r) => [r.name, r.checks_per_minute])).toEqual([
      ["eu", 42],
      ["gone1", 0],
      ["us", 7],
    ]);
  });
});
