import type { MonitorEventRow, SqlClient } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import {
  applyRound,
  type CheckOutcome,
  type MonitorState,
  type MonitorStatus,
  roundOutcome,
} from "@upfleet/monitoring";

/** A monitor whose rounds may be decided, as the store read it (timestamps as PostgreSQL printed them). */
interface RoundMonitor {
  id: string;
  organization_id: string;
  status: MonitorStatus;
  fail_streak: number;
  pass_streak: number;
  last_round_at: string | null;
  regions: string[];
  interval_seconds: number;
  confirmations: number;
  recovery_confirmations: number;
}

/** A stored result newer than its monitor's last round. */
interface RoundResult {
  monitor_id: string;
  tick: string;
  region: string;
  status: CheckOutcome;
  http_status: number | null;
  response_ms: number | null;
  error: string | null;
  message: string | null;
}

/** What rounds are open: the monitors and every result of theirs not yet applied to their state. */
export interface Undecided {
  monitors: RoundMonitor[];
  results: RoundResult[];
}

/** A monitor's state after its rounds, written only if its last round is still `previous`. */
export interface StateWrite {
  id: string;
  previous: string | null;
  state: MonitorState;
  roundAt: Date;
}

export interface RoundsDecision {
  states: StateWrite[];
  events: MonitorEventRow[];
  /** Monitors with a round still waiting for regions, and when to decide without them. */
  pending: Map<string, number>;
}

/**
 * The monitors (active ones among `ids`) and their results newer than their last round, as two JSON
 * arrays. `also` is a CTE of results the statement inserts itself, which it cannot read back from
 * the table (a statement sees only the rows committed before it).
 */
export function undecidedSql(ids: string, also?: string): string {
  const recent = (alias: string) =>
    `${alias}.tick > COALESCE(d.last_round_at, 'epoch'::timestamptz) AND ${alias}.tick > now() - interval '1 day'`;
  return `
    deciding AS (
      SELECT m.seq, m.id, m.organization_id, m.status::text AS status, m.fail_streak, m.pass_streak, m.last_round_at,
             m.regions, m.interval_seconds, m.confirmations, m.recovery_confirmations
      FROM monitors m WHERE m.id IN (${ids}) AND NOT m.paused AND m.deleted_at IS NULL
    ),
    undecided AS (
      SELECT d.id AS monitor_id, r.tick, r.region, r.status::text AS status, r.http_status, r.response_ms, r.error, r.message
      FROM deciding d JOIN check_results r ON r.monitor_seq = d.seq
      WHERE ${recent("r")}
      ${
        also
          ? `UNION ALL
      SELECT d.id, i.tick, i.region, i.status, i.http_status, i.response_ms, i.error, i.message
      FROM deciding d JOIN ${also} i ON i.monitor_seq = d.seq
      WHERE ${recent("i")}`
          : ""
      }
    ),
    undecided_json AS (
      SELECT coalesce((SELECT json_agg(d ORDER BY d.id) FROM deciding d WHERE d.id IN (SELECT monitor_id FROM undecided)), '[]') AS monitors,
             coalesce((SELECT json_agg(u ORDER BY u.monitor_id, u.tick, u.region) FROM undecided u), '[]') AS results
    )`;
}

const READ_UNDECIDED = `WITH ${undecidedSql("SELECT unnest($1::text[])")} SELECT monitors, results FROM undecided_json`;

/** What is open for these monitors now (a round waiting for regions, at its deadline). */
export async function readUndecided(sql: SqlClient, monitorIds: string[]): Promise<Undecided> {
  const [row] = await sql.query<Undecided>(READ_UNDECIDED, [monitorIds], "ingest-read-undecided");
  return row ?? { monitors: [], results: [] };
}

/** The results by monitor, then by tick in tick order, each tick's in region order. */
function roundsOf(results: RoundResult[]): Map<string, [number, RoundResult[]][]> {
  const byMonitor = new Map<string, Map<number, RoundResult[]>>();
  for (const row of results) {
    const ticks = byMonitor.get(row.monitor_id) ?? new Map<number, RoundResult[]>();
    const tick = Date.parse(row.tick);
    ticks.set(tick, [...(ticks.get(tick) ?? []), row]);
    byMonitor.set(row.monitor_id, ticks);
  }
  const sorted = new Map<string, [number, RoundResult[]][]>();
  for (const [monitorId, ticks] of byMonitor) {
    for (const results of ticks.values()) results.sort((a, b) => a.region.localeCompare(b.region));
    sorted.set(
      monitorId,
      [...ticks].sort((a, b) => a[0] - b[0]),
    );
  }
  return sorted;
}

/**
 * Applies every round that can be decided, in tick order. A round is decided when all the monitor's
 * regions reported, or once its interval has passed (the others are missing). Pure: the caller writes
 * the states (conditional on the last round they started from, so two alerters cannot both apply a
 * round) and the events.
 */
export function decideRounds(undecided: Undecided, nowMs: number): RoundsDecision {
  const decision: RoundsDecision = { states: [], events: [], pending: new Map() };
  const rounds = roundsOf(undecided.results);
  for (const monitor of undecided.monitors) {
    const ticks = rounds.get(monitor.id);
    if (!ticks) continue;
    let state: MonitorState = {
      status: monitor.status,
      failStreak: monitor.fail_streak,
      passStreak: monitor.pass_streak,
    };
    let roundAt: Date | null = null;
    for (const [tick, results] of ticks) {
      const reported = new Set(results.filter((r) => monitor.regions.includes(r.region)).map((r) => r.region));
      const complete = reported.size >= monitor.regions.length;
      const deadline = tick + monitor.interval_seconds * 1000;
      if (!complete && deadline > nowMs) {
        decision.pending.set(monitor.id, deadline);
        break;
      }
      const outcome = roundOutcome(results.map((r) => r.status));
      roundAt = new Date(tick);
      if (!outcome) continue;
      const transition = applyRound(state, outcome, {
        confirmations: monitor.confirmations,
        recoveryConfirmations: monitor.recovery_confirmations,
      });
      state = transition.state;
      if (transition.change?.event) {
        const failing = results.filter((r) => r.status !== "up");
        const sample = failing[0] ?? results[0]!;
        decision.events.push({
          id: newId("event"),
          organizationId: monitor.organization_id,
          monitorId: monitor.id,
          type: transition.change.event,
          from: transition.change.from,
          to: transition.change.to,
          tick: new Date(tick),
          cause: {
            error: sample.error,
            http_status: sample.http_status,
            response_ms: sample.response_ms,
            message: sample.message,
            region: sample.region,
            failing_regions: failing.map((r) => r.region),
            reporting_regions: results.map((r) => r.region),
            missing_regions: monitor.regions.filter((r) => !reported.has(r)),
          },
        });
      }
    }
    if (roundAt) decision.states.push({ id: monitor.id, previous: monitor.last_round_at, state, roundAt });
  }
  return decision;
}
