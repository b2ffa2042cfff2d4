import type { Db } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import type { ResultJob } from "@upfleet/queue";

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

/**
 * One multi-row insert for a batch. Idempotent on (monitor, region, tick): a result delivered twice
 * (a re-run after a worker died, a redelivered job) is stored once. Returns only the new rows.
 * Results for monitors that no longer exist are dropped rather than failing the batch.
 */
export async function storeResults(db: Db, jobs: ResultJob[]): Promise<StoredResult[]> {
  if (jobs.length === 0) return [];
  const col = <T>(pick: (job: ResultJob) => T) => jobs.map(pick);
  return db.$queryRaw<StoredResult[]>`
    INSERT INTO check_results (id, monitor_id, region, tick, checked_at, status, response_ms, http_status, error, message, details)
    SELECT u.id, u.monitor_id, u.region, u.tick, u.checked_at, u.status::"CheckOutcome", u.response_ms, u.http_status,
           u.error, u.message, u.details::jsonb
    FROM unnest(
      ${col(() => newId("check"))}::text[], ${col((j) => j.monitorId)}::text[], ${col((j) => j.region)}::text[],
      ${col((j) => new Date(j.tick))}::timestamptz[], ${col((j) => new Date(j.finishedAt))}::timestamptz[],
      ${col((j) => j.result.status)}::text[],
      ${col((j) => (j.result.responseMs === null ? null : Math.round(j.result.responseMs)))}::int[],
      ${col((j) => j.result.httpStatus)}::int[], ${col((j) => j.result.error)}::text[],
      ${col((j) => j.result.message)}::text[],
      ${col((j) => JSON.stringify({ ...j.result.details, timings: j.result.timings, worker: j.workerId }))}::text[]
    ) AS u(id, monitor_id, region, tick, checked_at, status, response_ms, http_status, error, message, details)
    WHERE EXISTS (SELECT 1 FROM monitors m WHERE m.id = u.monitor_id)
    ORDER BY u.monitor_id, u.tick
    ON CONFLICT (monitor_id, region, tick) DO NOTHING
    RETURNING monitor_id, region, tick, checked_at, status::text AS status, response_ms, http_status, error, message`;
}

/** Keeps each monitor's `last_*` fields on its newest result (never moved back by a late one). */
export async function updateLastResults(db: Db, rows: StoredResult[]): Promise<void> {
  const newest = new Map<string, StoredResult>();
  for (const row of rows) {
    const seen = newest.get(row.monitor_id);
    if (!seen || row.checked_at > seen.checked_at) newest.set(row.monitor_id, row);
  }
  if (newest.size === 0) return;
  const latest = [...newest.values()].sort((a, b) => a.monitor_id.localeCompare(b.monitor_id));
  await db.$executeRaw`
    UPDATE monitors AS m SET last_checked_at = u.checked_at, last_status = u.http_status,
      last_response_ms = u.response_ms, last_error = u.error
    FROM unnest(${latest.map((r) => r.monitor_id)}::text[], ${latest.map((r) => r.checked_at)}::timestamptz[],
                ${latest.map((r) => r.http_status)}::int[], ${latest.map((r) => r.response_ms)}::int[],
                ${latest.map((r) => r.error)}::text[]) AS u(id, checked_at, http_status, response_ms, error)
    WHERE m.id = u.id AND (m.last_checked_at IS NULL OR m.last_checked_at <= u.checked_at)`;
}
