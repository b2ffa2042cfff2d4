import { detailsToStore } from "@upfleet/checks/contracts";
import { columns, type SqlClient } from "@upfleet/db";
import { HISTOGRAM_SIZE, RESPONSE_BUCKETS_MS } from "@upfleet/monitoring";
import type { ResultJob } from "@upfleet/queue";
import { type Undecided, undecidedSql } from "./rounds.ts";

/** The rollups' spans, in seconds: hourly and daily. */
const HOUR = 3600;
const DAY = 86_400;

export interface StoredBatch {
  /** Results new to the table (a redelivered one is stored once). */
  inserted: number;
  /** The batch's monitors' rounds not yet applied, those just stored included. */
  undecided: Undecided;
}

/** The details column as JSON text; SQL NULL (not JSON null) when there is nothing to keep. */
function storedDetails(job: ResultJob): string | null {
  const details = detailsToStore(job.result, job.workerId);
  return details && JSON.stringify(details);
}

const STORE_BATCH = `
  WITH input AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::int[], $7::int[],
                         $8::text[], $9::text[], $10::text[])
      AS u(monitor_id, region, tick, checked_at, status, response_ms, http_status, error, message, details)
  ),
  inserted AS (
    INSERT INTO check_results (tick, checked_at, monitor_seq, status, response_ms, http_status, region, error, message, details)
    SELECT u.tick, u.checked_at, m.seq, u.status::"CheckOutcome", u.response_ms, u.http_status, u.region,
           u.error, u.message, u.details::jsonb
    FROM input u JOIN monitors m ON m.id = u.monitor_id
    ORDER BY m.seq, u.tick
    ON CONFLICT (monitor_seq, tick, region) DO NOTHING
    RETURNING monitor_seq, region, tick, status::text AS status, response_ms, http_status, error, message
  ),
  -- Each new row in its hour and its day; its histogram slot is the first bound it does not exceed.
  spans AS (
    SELECT m.id AS monitor_id, p.span, to_timestamp(floor(extract(epoch FROM i.tick) / p.span) * p.span) AS bucket,
           i.status, i.response_ms,
           CASE WHEN i.response_ms IS NOT NULL THEN
             (SELECT count(*)::int FROM unnest($11::int[]) AS b WHERE b < i.response_ms)
           END AS slot
    FROM inserted i JOIN monitors m ON m.seq = i.monitor_seq CROSS JOIN (VALUES (${HOUR}), (${DAY})) AS p(span)
  ),
  histograms AS (
    SELECT monitor_id, span, bucket, array_agg(n ORDER BY slot) AS histogram
    FROM (
      SELECT x.monitor_id, x.span, x.bucket, g.slot, (count(*) FILTER (WHERE x.slot = g.slot))::int AS n
      FROM spans x CROSS JOIN generate_series(0, ${HISTOGRAM_SIZE - 1}) AS g(slot)
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
  ${undecidedSql("SELECT monitor_id FROM input", "inserted")}
  SELECT (SELECT count(*)::int FROM inserted) AS inserted, monitors, results FROM undecided_json`;

/**
 * Stores a batch in ONE statement: the results (idempotent on (monitor, region, tick), so a result
 * delivered twice is stored once) and the hourly and daily rollups of just the rows inserted, and
 * reads back the batch's monitors' open rounds. One statement is one transaction: a failure stores
 * none of it, and the retried batch then counts every row once; separate statements left a retried
 * batch's rollups unwritten for good. The open rounds are read whether or not this batch inserted
 * them, so a retry after the state write failed still decides them. Results for monitors that no
 * longer exist are dropped.
 */
export async function storeBatch(sql: SqlClient, jobs: ResultJob[]): Promise<StoredBatch> {
  if (jobs.length === 0) return { inserted: 0, undecided: { monitors: [], results: [] } };
  const [row] = await sql.query<{ inserted: number } & Undecided>(
    STORE_BATCH,
    [
      ...columns(jobs, {
        monitor_id: (j) => j.monitorId,
        region: (j) => j.region,
        tick: (j) => new Date(j.tick),
        checked_at: (j) => new Date(j.finishedAt),
        status: (j) => j.result.status,
        response_ms: (j) => (j.result.responseMs === null ? null : Math.round(j.result.responseMs)),
        http_status: (j) => j.result.httpStatus,
        error: (j) => j.result.error,
        message: (j) => j.result.message,
        details: storedDetails,
      }),
      [...RESPONSE_BUCKETS_MS],
    ],
    "ingest-store-batch",
  );
  const { inserted, monitors, results } = row!;
  return { inserted, undecided: { monitors, results } };
}
