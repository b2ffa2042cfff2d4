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

/**
 * uptime_24h and avg_response_ms for many monitors over the hourly rollups, in a few queries
 * whatever their number; checks made in maintenance count neither as up nor as down (as in
 * GET /monitors/:id/uptime).
 */
export async function recentStats(db: Db, monitorIds: string[], now = new Date()): Promise<Map<string, RecentStats>> {
  const stats = new Map<string, RecentStats>();
  if (monitorIds.length === 0) return stats;
  const since = new Date(now.getTime() - 24 * HOUR * 1000);
  // The first hourly bucket counted: the rollups' rows from `since` on.
  const firstBucket = new Date(Math.ceil(since.getTime() / (HOUR * 1000)) * HOUR * 1000);
  const [rows, held] = await Promise.all([
    db.checkRollup.groupBy({
      by: ["monitorId"],
      where: { monitorId: { in: monitorIds }, span: HOUR, bucket: { gte: since } },
      _sum: { checks: true, failed: true, responseSumMs: true, responseCount: true },
    }),
    heldSince(db, monitorIds, firstBucket, now),
  ]);
  for (const row of rows) {
    const counted = outsideMaintenance(
      { checks: row._sum.checks ?? 0, failed: row._sum.failed ?? 0 },
      held.get(row.monitorId),
    );
    const count = row._sum.responseCount ?? 0;
    stats.set(row.monitorId, {
      uptime24h: counted.checks ? uptimePercent(counted.checks, counted.failed) : null,
      avgResponseMs: count ? Math.round(Number(row._sum.responseSumMs ?? 0n) / count) : null,
    });
  }
  return stats;
}

export const NO_STATS: RecentStats = { uptime24h: null, avgResponseMs: null };
