import { columns, insertMonitorEvents, type MonitorEventRow, monitorEventColumns, type SqlClient } from "@upfleet/db";
import type { ResultJob } from "@upfleet/queue";
import type { StateWrite } from "./rounds.ts";

/** A monitor's newest check, shown as its last one unless a newer one is there already. */
export interface LatestCheck {
  id: string;
  checkedAt: Date;
  httpStatus: number | null;
  responseMs: number | null;
  error: string | null;
}

export interface MonitorWrites {
  states: StateWrite[];
  latest: LatestCheck[];
  events: MonitorEventRow[];
}

/** Each monitor's newest result in the batch. */
export function latestOf(jobs: ResultJob[]): LatestCheck[] {
  const newest = new Map<string, ResultJob>();
  for (const job of jobs) {
    const seen = newest.get(job.monitorId);
    if (!seen || seen.finishedAt < job.finishedAt) newest.set(job.monitorId, job);
  }
  return [...newest.values()].map((job) => ({
    id: job.monitorId,
    checkedAt: new Date(job.finishedAt),
    httpStatus: job.result.httpStatus,
    responseMs: job.result.responseMs === null ? null : Math.round(job.result.responseMs),
    error: job.result.error,
  }));
}

/** The round's state is written only over the last round it was decided from (another alerter may have moved on). */
const ROUND_APPLIES = "(u.round_at IS NOT NULL AND m.last_round_at IS NOT DISTINCT FROM u.previous)";
/** A late result never moves the last check back. */
const NEWER_CHECK = "(u.checked_at IS NOT NULL AND (m.last_checked_at IS NULL OR m.last_checked_at <= u.checked_at))";
const either = (condition: string, value: string, column: string) =>
  `CASE WHEN ${condition} THEN ${value} ELSE m.${column} END`;

/**
 * One monitor row update per monitor for both what its rounds decided and its last check, and the
 * state changes, in one statement: events are unique per (monitor, tick, type), so a round applied
 * twice (two alerters, a redelivery) yields one event.
 */
const WRITE_MONITORS = `
  WITH written AS (
    UPDATE monitors AS m SET
      status = ${either(ROUND_APPLIES, `u.status::"MonitorStatus"`, "status")},
      fail_streak = ${either(ROUND_APPLIES, "u.fail_streak", "fail_streak")},
      pass_streak = ${either(ROUND_APPLIES, "u.pass_streak", "pass_streak")},
      last_round_at = ${either(ROUND_APPLIES, "u.round_at", "last_round_at")},
      last_checked_at = ${either(NEWER_CHECK, "u.checked_at", "last_checked_at")},
      last_status = ${either(NEWER_CHECK, "u.http_status", "last_status")},
      last_response_ms = ${either(NEWER_CHECK, "u.response_ms", "last_response_ms")},
      last_error = ${either(NEWER_CHECK, "u.error", "last_error")}
    FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::int[], $5::int[], $6::timestamptz[],
                $7::timestamptz[], $8::int[], $9::int[], $10::text[])
      AS u(id, previous, status, fail_streak, pass_streak, round_at, checked_at, http_status, response_ms, error)
    WHERE m.id = u.id AND (${ROUND_APPLIES} OR ${NEWER_CHECK})
  ),
  events AS (
    ${insertMonitorEvents(11)}
  )
  SELECT count(*)::int AS events FROM events`;

/** Writes the monitors' states, last checks and state changes; returns how many events were new. */
export async function writeMonitors(sql: SqlClient, writes: MonitorWrites): Promise<number> {
  const { states, latest, events } = writes;
  if (states.length + latest.length + events.length === 0) return 0;
  const byId = new Map<string, { state?: StateWrite; latest?: LatestCheck }>();
  for (const state of states) byId.set(state.id, { state });
  for (const check of latest) byId.set(check.id, { ...byId.get(check.id), latest: check });
  // In id order, so concurrent batches lock shared monitors in the same order.
  const rows = [...byId].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, row]) => ({ id, ...row }));
  const [row] = await sql.query<{ events: number }>(
    WRITE_MONITORS,
    [
      ...columns(rows, {
        id: (r) => r.id,
        previous: (r) => r.state?.previous ?? null,
        status: (r) => r.state?.state.status ?? null,
        fail_streak: (r) => r.state?.state.failStreak ?? null,
        pass_streak: (r) => r.state?.state.passStreak ?? null,
        round_at: (r) => r.state?.roundAt ?? null,
        checked_at: (r) => r.latest?.checkedAt ?? null,
        http_status: (r) => r.latest?.httpStatus ?? null,
        response_ms: (r) => r.latest?.responseMs ?? null,
        error: (r) => r.latest?.error ?? null,
      }),
      ...monitorEventColumns(events),
    ],
    "ingest-write-monitors",
  );
  return row?.events ?? 0;
}
