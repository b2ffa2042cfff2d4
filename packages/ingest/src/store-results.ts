import { detailsToStore } from "@upfleet/checks/contracts";
import type { Db } from "@upfleet/db";
import { HISTOGRAM_SIZE, RESPONSE_BUCKETS_MS } from "@upfleet/monitoring";
import type { ResultJob } from "@upfleet/queue";

/** The rollups' spans, in seconds: hourly and daily. */
const HOUR = 3600;
const DAY = 86_400;

export interface StoredResult {
  monitor_id: string;
  region: string;
  tick: Date;
  checked_at: Date;
  status: "up" | "degraded" | "down";
  response_ms: number | null;
  http_status: number | null;
  error: string | null;
  message: string | null;
}

/** The details column as JSON text; SQL NULL (not JSON null) when there is nothing to keep. */
function storedDetails(job: ResultJob): string | null {
  const details = detailsToStore(job.result, job.workerId);
  return details && JSON.stringify(details);
}

/**
 * Stores a batch in ONE statement: the results (idempotent on (monitor, region, tick), so a result
 * delivered twice is stored once), the hourly and daily rollups of just the rows inserted, and the
 * monitors' `last_*` fields (never moved back by a late result). One statement is one transaction:
 * a failure stores none of it, and the retried batch then counts every row once; separate
 * statements left a retried batch's rollups unwritten for good. Results for monitors that no
 * longer exist are dropped. Returns only the new rows.
 */
export async function storeBatch(db: Db, jobs: ResultJob[]): Promise<StoredResult[]> {
  if (jobs.length === 0) return [];
  const col = <T>(pick: (job: ResultJob) => T) => jobs.map(pick);
  return db.$queryRaw<StoredResult[]>`
    WITH input AS (
      SELECT * FROM unnest(
        ${col((j) => j.monitorId)}::text[], ${col((j) => j.region)}::text[],
        ${col((j) => new Date(j.tick))}::timestamptz[], ${col((j) => new Date(j.finishedAt))}::timestamptz[],
        ${col((j) => j.result.status)}::text[],
        ${col((j) => (j.result.responseMs === null ? null : Math.round(j.result.responseMs)))}::int[],
        ${col((j) => j.result.httpStatus)}::int[], ${col((j) => j.result.error)}::text[],
        ${col((j) => j.result.message)}::text[], ${col(storedDetails)}::text[]
      ) AS u(monitor_id, region, tick, checked_at, status, response_ms, http_status, error, message, details)
    ),
    inserted AS (
      INSERT INTO check_results (tick, checked_at, monitor_seq, status, response_ms, http_status, region, error, message, details)
      SELECT u.tick, u.checked_at, m.seq, u.status::"CheckOutcome", u.response_ms, u.http_status, u.region,
             u.error, u.message, u.details::jsonb
      FROM input u JOIN monitors m ON m.id = u.monitor_id
      ORDER BY m.seq, u.tick
      ON CONFLICT (monitor_seq, tick, region) DO NOTHING
      RETURNING monitor_seq, region, tick, checked_at, status::text AS status, response_ms, http_status, error, message
    ),
    stored AS (
      SELECT m.id AS monitor_id, i.region, i.tick, i.checked_at, i.status, i.response_ms, i.http_status, i.error, i.message
      FROM inserted i JOIN monitors m ON m.seq = i.monitor_seq
    ),
    -- Each new row in its hour and its day; its histogram slot is the first bound it does not exceed.
    spans AS (
      SELECT s.monitor_id, p.span, to_timestamp(floor(extract(epoch FROM s.tick) / p.span) * p.span) AS bucket,
             s.status, s.response_ms,
             CASE WHEN s.response_ms IS NOT NULL THEN
               (SELECT count(*)::int FROM unnest(${[...RESPONSE_BUCKETS_MS]}::int[]) AS b WHERE b < s.response_ms)
             END AS slot
      FROM stored s CROSS JOIN (VALUES (${HOUR}::int), (${DAY}::int)) AS p(span)
    ),
    histograms AS (
      SELECT monitor_id, span, bucket, array_agg(n ORDER BY slot) AS histogram
      FROM (
        SELECT x.monitor_id, x.span, x.bucket, g.slot, (count(*) FILTER (WHERE x.slot = g.slot))::int AS n
        FROM spans x CROSS JOIN generate_series(0, ${HISTOGRAM_SIZE - 1}::int) AS g(slot)
        GROUP BY x.monitor_id, x.span, x.bucket, g.slot
      ) AS per_slot
      GROUP BY monitor_id, span, bucket
    ),
    rollups AS (
      INSERT INTO check_rollups AS c (monitor_id, span, bucket, checks, failed, degraded, response_sum_ms, response_count, histogram)
      SELECT x.monitor_id, x.span, x.bucket, count(*), count(*) FILTER (WHERE x.status = 'down'),
             count(*) FILTER (WHERE x.status = 'degraded'), coalesce(sum(x.response_ms), 0), count(x.response_ms),
             h.histogram
      FROM spans x JOIN histograms h USING (monitor_id, span, bucket)
      GROUP BY x.monitor_id, x.span, x.bucket, h.histogram
      -- A fixed order keeps concurrent batches from deadlocking on the same rollup rows.
      ORDER BY x.monitor_id, x.span, x.bucket
      ON CONFLICT (monitor_id, span, bucket) DO UPDATE SET
        checks = c.checks + excluded.checks,
        failed = c.failed + excluded.failed,
        degraded = c.degraded + excluded.degraded,
        response_sum_ms = c.response_sum_ms + excluded.response_sum_ms,
        response_count = c.response_count + excluded.response_count,
        histogram = (SELECT array_agg(coalesce(a, 0) + coalesce(b, 0) ORDER BY i)
                     FROM unnest(c.histogram, excluded.histogram) WITH ORDINALITY AS t(a, b, i))
    ),
    latest AS (
      UPDATE monitors AS m SET last_checked_at = n.checked_at, last_status = n.http_status,
        last_response_ms = n.response_ms, last_error = n.error
      FROM (SELECT DISTINCT ON (monitor_id) monitor_id, checked_at, http_status, response_ms, error
            FROM stored ORDER BY monitor_id, checked_at DESC) AS n
      WHERE m.id = n.monitor_id AND (m.last_checked_at IS NULL OR m.last_checked_at <= n.checked_at)
    )
    SELECT * FROM stored`;
}
