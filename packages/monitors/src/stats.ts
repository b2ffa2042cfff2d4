import type { Db } from "@upfleet/db";
import { maintenanceIntervalsOf } from "@upfleet/maintenance";
import { outsideMaintenance, type UptimeCounts, uptimePercent } from "@upfleet/monitoring";
import { heldChecks } from "./held-checks.ts";
import type { RecentStats } from "./present.ts";

const HOUR = 3600;

/** Each monitor's checks in maintenance from `from` on, all buckets together. */
async function heldSince(db: Db, monitorIds: string[], from: Date, now: Date): Promise<Map<string, UptimeCounts>> {
  const held = await heldChecks(db, await maintenanceIntervalsOf(db, monitorIds, from, now), HOUR);
  return new Map(
    [...held].map(([id, buckets]) => {
      const total = { checks: 0, failed: 0 };
      for (const counts of buckets.values()) {
        total.checks += counts.checks;
        total.failed += counts.failed;
      }
      return [id, total];
    }),
  );
}

/** Hourly averages in response_ms_24h: the last 24 hours' buckets, the current one last. */
const SERIES_HOURS = 24;

/**
 * uptime_24h, avg_response_ms and response_ms_24h for many monitors over the hourly rollups, in a
 * few queries whatever their number; checks made in maintenance count neither as up nor as down (as
 * in GET /monitors/:id/uptime). The hourly series is what a list draws its sparklines from, so a
 * page of monitors needs no request per monitor.
 */
export async function recentStats(db: Db, monitorIds: string[], now = new Date()): Promise<Map<string, RecentStats>> {
  const stats = new Map<string, RecentStats>();
  if (monitorIds.length === 0) return stats;
  const since = new Date(now.getTime() - 24 * HOUR * 1000);
  // The first hourly bucket counted: the rollups' rows from `since` on.
  const firstBucket = new Date(Math.ceil(since.getTime() / (HOUR * 1000)) * HOUR * 1000);
  const currentHour = Math.floor(now.getTime() / (HOUR * 1000)) * HOUR * 1000;
  const [rows, held] = await Promise.all([
    db.checkRollup.findMany({
      where: { monitorId: { in: monitorIds }, span: HOUR, bucket: { gte: since } },
      select: { monitorId: true, bucket: true, checks: true, failed: true, responseSumMs: true, responseCount: true },
    }),
    heldSince(db, monitorIds, firstBucket, now),
  ]);
  const sums = new Map<string, { checks: number; failed: number; responseSumMs: number; responseCount: number }>();
  const series = new Map<string, (number | null)[]>();
  for (const row of rows) {
    const sum = sums.get(row.monitorId) ?? { checks: 0, failed: 0, responseSumMs: 0, responseCount: 0 };
    sum.checks += row.checks;
    sum.failed += row.failed;
    sum.responseSumMs += Number(row.responseSumMs);
    sum.responseCount += row.responseCount;
    sums.set(row.monitorId, sum);
    const slot = SERIES_HOURS - 1 - (currentHour - row.bucket.getTime()) / (HOUR * 1000);
    if (slot < 0 || slot >= SERIES_HOURS || row.responseCount === 0) continue;
    const values = series.get(row.monitorId) ?? new Array<number | null>(SERIES_HOURS).fill(null);
    values[slot] = Math.round(Number(row.responseSumMs) / row.responseCount);
    series.set(row.monitorId, values);
  }
  for (const [monitorId, sum] of sums) {
    const counted = outsideMaintenance({ checks: sum.checks, failed: sum.failed }, held.get(monitorId));
    stats.set(monitorId, {
      uptime24h: counted.checks ? uptimePercent(counted.checks, counted.failed) : null,
      avgResponseMs: sum.responseCount ? Math.round(sum.responseSumMs / sum.responseCount) : null,
      responseMs24h: series.get(monitorId) ?? NO_STATS.responseMs24h,
    });
  }
  return stats;
}

export const NO_STATS: RecentStats = {
  uptime24h: null,
  avgResponseMs: null,
  responseMs24h: new Array<number | null>(SERIES_HOURS).fill(null),
};
