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

/** One monitor's hourly rollups of the last 24 hours, summed in PostgreSQL. */
interface DaySums {
  monitor_id: string;
  checks: number;
  failed: number;
  response_sum_ms: number;
  response_count: number;
  /** The buckets with responses (epoch seconds), and their average response, in bucket order. */
  buckets: number[] | null;
  averages: number[] | null;
}

/**
 * uptime_24h, avg_response_ms and response_ms_24h for many monitors over the hourly rollups, in a
 * few queries whatever their number; checks made in maintenance count neither as up nor as down (as
 * in GET /monitors/:id/uptime). The hourly series is what a list draws its sparklines from, so a
 * page of monitors needs no request per monitor. The sums and averages are made by PostgreSQL: a
 * row per monitor comes back rather than 24 (the list's first page at 10,000 monitors, BENCHMARKS.md).
 */
export async function recentStats(db: Db, monitorIds: string[], now = new Date()): Promise<Map<string, RecentStats>> {
  const stats = new Map<string, RecentStats>();
  if (monitorIds.length === 0) return stats;
  const since = new Date(now.getTime() - 24 * HOUR * 1000);
  // The first hourly bucket counted: the rollups' rows from `since` on.
  const firstBucket = new Date(Math.ceil(since.getTime() / (HOUR * 1000)) * HOUR * 1000);
  const currentHour = Math.floor(now.getTime() / (HOUR * 1000)) * HOUR;
  const [rows, held] = await Promise.all([
    db.$queryRaw<DaySums[]>`
      SELECT monitor_id, sum(checks)::int AS checks, sum(failed)::int AS failed,
             sum(response_sum_ms)::float8 AS response_sum_ms, sum(response_count)::int AS response_count,
             array_agg(extract(epoch FROM bucket)::int ORDER BY bucket) FILTER (WHERE response_count > 0) AS buckets,
             array_agg(round(response_sum_ms::numeric / response_count)::int ORDER BY bucket)
               FILTER (WHERE response_count > 0) AS averages
      FROM check_rollups
      WHERE monitor_id = ANY(${monitorIds}::text[]) AND span = ${HOUR} AND bucket >= ${since}
      GROUP BY monitor_id`,
    heldSince(db, monitorIds, firstBucket, now),
  ]);
  for (const row of rows) {
    const counted = outsideMaintenance({ checks: row.checks, failed: row.failed }, held.get(row.monitor_id));
    const series = new Array<number | null>(SERIES_HOURS).fill(null);
    row.buckets?.forEach((bucket, i) => {
      const slot = SERIES_HOURS - 1 - (currentHour - bucket) / HOUR;
      if (slot >= 0 && slot < SERIES_HOURS) series[slot] = row.averages![i]!;
    });
    stats.set(row.monitor_id, {
      uptime24h: counted.checks ? uptimePercent(counted.checks, counted.failed) : null,
      avgResponseMs: row.response_count ? Math.round(row.response_sum_ms / row.response_count) : null,
      responseMs24h: series,
    });
  }
  return stats;
}

export const NO_STATS: RecentStats = {
  uptime24h: null,
  avgResponseMs: null,
  responseMs24h: new Array<number | null>(SERIES_HOURS).fill(null),
};
