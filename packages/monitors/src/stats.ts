import type { Db } from "@upfleet/db";
import { uptimePercent } from "@upfleet/monitoring";
import type { RecentStats } from "./present.ts";

const HOUR = 3600;

/** uptime_24h and avg_response_ms for many monitors in one query over the hourly rollups. */
export async function recentStats(db: Db, monitorIds: string[], now = new Date()): Promise<Map<string, RecentStats>> {
  const stats = new Map<string, RecentStats>();
  if (monitorIds.length === 0) return stats;
  const since = new Date(now.getTime() - 24 * HOUR * 1000);
  const rows = await db.checkRollup.groupBy({
    by: ["monitorId"],
    where: { monitorId: { in: monitorIds }, span: HOUR, bucket: { gte: since } },
    _sum: { checks: true, failed: true, responseSumMs: true, responseCount: true },
  });
  for (const row of rows) {
    const checks = row._sum.checks ?? 0;
    const count = row._sum.responseCount ?? 0;
    stats.set(row.monitorId, {
      uptime24h: checks ? uptimePercent(checks, row._sum.failed ?? 0) : null,
      avgResponseMs: count ? Math.round(Number(row._sum.responseSumMs ?? 0n) / count) : null,
    });
  }
  return stats;
}

export const NO_STATS: RecentStats = { uptime24h: null, avgResponseMs: null };
