import type { Db } from "@upfleet/db";
import { bucketIndex, emptyHistogram } from "@upfleet/monitoring";
import type { StoredResult } from "./store-results.ts";

export const HOUR = 3600;
export const DAY = 86_400;

interface Rollup {
  monitorId: string;
  span: number;
  bucket: Date;
  checks: number;
  failed: number;
  degraded: number;
  responseSum: number;
  responseCount: number;
  histogram: number[];
}

/** Folds new results into hourly and daily aggregates (in memory first, one upsert per batch). */
export function aggregate(rows: StoredResult[]): Rollup[] {
  const rollups = new Map<string, Rollup>();
  for (const row of rows) {
    for (const span of [HOUR, DAY]) {
      const bucket = new Date(Math.floor(row.tick.getTime() / (span * 1000)) * span * 1000);
      const key = `${row.monitor_id}|${span}|${bucket.getTime()}`;
      let r = rollups.get(key);
      if (!r) {
        r = {
          monitorId: row.monitor_id,
          span,
          bucket,
          checks: 0,
          failed: 0,
          degraded: 0,
          responseSum: 0,
          responseCount: 0,
          histogram: emptyHistogram(),
        };
        rollups.set(key, r);
      }
      r.checks += 1;
      if (row.status === "down") r.failed += 1;
      if (row.status === "degraded") r.degraded += 1;
      if (row.response_ms !== null) {
        r.responseSum += row.response_ms;
        r.responseCount += 1;
        r.histogram[bucketIndex(row.response_ms)]! += 1;
      }
    }
  }
  // A fixed order keeps concurrent upserts from deadlocking on the same rows.
  return [...rollups.values()].sort(
    (a, b) => a.monitorId.localeCompare(b.monitorId) || a.span - b.span || a.bucket.getTime() - b.bucket.getTime(),
  );
}

export async function upsertRollups(db: Db, rows: StoredResult[]): Promise<void> {
  const rollups = aggregate(rows);
  if (rollups.length === 0) return;
  const col = <T>(pick: (r: Rollup) => T) => rollups.map(pick);
  await db.$executeRaw`
    INSERT INTO check_rollups AS c (monitor_id, span, bucket, checks, failed, degraded, response_sum_ms, response_count, histogram)
    SELECT u.monitor_id, u.span, u.bucket, u.checks, u.failed, u.degraded, u.response_sum_ms, u.response_count, u.histogram::int[]
    FROM unnest(${col((r) => r.monitorId)}::text[], ${col((r) => r.span)}::int[], ${col((r) => r.bucket)}::timestamptz[],
                ${col((r) => r.checks)}::int[], ${col((r) => r.failed)}::int[], ${col((r) => r.degraded)}::int[],
                ${col((r) => r.responseSum)}::bigint[], ${col((r) => r.responseCount)}::int[],
                ${col((r) => `{${r.histogram.join(",")}}`)}::text[])
      AS u(monitor_id, span, bucket, checks, failed, degraded, response_sum_ms, response_count, histogram)
    ON CONFLICT (monitor_id, span, bucket) DO UPDATE SET
      checks = c.checks + excluded.checks,
      failed = c.failed + excluded.failed,
      degraded = c.degraded + excluded.degraded,
      response_sum_ms = c.response_sum_ms + excluded.response_sum_ms,
      response_count = c.response_count + excluded.response_count,
      histogram = (SELECT array_agg(coalesce(a, 0) + coalesce(b, 0) ORDER BY i)
                   FROM unnest(c.histogram, excluded.histogram) WITH ORDINALITY AS t(a, b, i))`;
}
