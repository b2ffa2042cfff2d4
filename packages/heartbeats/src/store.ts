import {
  columns,
  insertMonitorEvents,
  type MonitorEventRow,
  type MonitorStatus,
  monitorEventColumns,
  type SqlClient,
} from "@upfleet/db";
import { newId } from "@upfleet/ids";
import { type HeartbeatSchedule, scheduleOf } from "./schedule.ts";
import type { HeartbeatState, PingKind, StateChange } from "./transitions.ts";

/**
 * The monitor rows heartbeats read and write. The deadline watcher and settleHeartbeat load them
 * under a row lock; the ping recorder reads them without one and writes only if the row is still
 * the version it read (PostgreSQL's xmin, new on every UPDATE whoever makes it).
 */

interface MonitorRow {
  id: string;
  organization_id: string;
  type: string;
  status: MonitorStatus;
  fail_streak: number;
  pass_streak: number;
  paused: boolean;
  deleted_at: Date | null;
  interval_seconds: number;
  settings: unknown;
  heartbeat_last_ping_at: Date | null;
  heartbeat_deadline_at: Date | null;
  /** Oldest first; started_at as JSON renders it. */
  open_runs: { id: string; rid: string | null; started_at: string }[];
  version: string;
}

export interface StoredMonitor {
  id: string;
  organizationId: string;
  /** Deleted, or no longer a heartbeat monitor: pings for it are refused. */
  gone: boolean;
  schedule: HeartbeatSchedule;
  state: HeartbeatState;
  /** The row version read (xmin): a conditional write applies only while it is still current. */
  version: string;
}

/**
 * The columns and open runs of the monitors `m` the query selects, in one round trip. Runs older
 * than the longest max runtime (7 days, packages/monitors) can never matter again and are left out.
 */
const COLUMNS = `
  m.id, m.organization_id, m.type::text AS type, m.status::text AS status, m.fail_streak, m.pass_streak, m.paused,
  m.deleted_at, m.interval_seconds, m.settings, m.heartbeat_last_ping_at, m.heartbeat_deadline_at,
  COALESCE((
    SELECT json_agg(json_build_object('id', r.id, 'rid', r.rid, 'started_at', r.started_at) ORDER BY r.started_at, r.id)
    FROM heartbeat_runs r
    WHERE r.monitor_id = m.id AND r.finished_at IS NULL AND r.started_at > now() - interval '7 days'
  ), '[]'::json) AS open_runs, m.xmin::text AS version`;

function toStored(row: MonitorRow): StoredMonitor {
  return {
    id: row.id,
    organizationId: row.organization_id,
    gone: row.deleted_at !== null || row.type !== "heartbeat",
    schedule: scheduleOf({ intervalSeconds: row.interval_seconds, settings: row.settings }),
    state: {
      status: row.status,
      failStreak: row.fail_streak,
      passStreak: row.pass_streak,
      paused: row.paused,
      lastSuccessAt: row.heartbeat_last_ping_at?.getTime() ?? null,
      deadlineAt: row.heartbeat_deadline_at?.getTime() ?? null,
      openRuns: row.open_runs.map((run) => ({ id: run.id, rid: run.rid, startedAt: Date.parse(run.started_at) })),
    },
    version: row.version,
  };
}

/** The monitors' heartbeat state as it is now, without a lock (one statement: row and runs agree). */
export async function loadMonitors(sql: SqlClient, ids: string[]): Promise<StoredMonitor[]> {
  if (ids.length === 0) return [];
  const rows = await sql.query<MonitorRow>(
    `SELECT ${COLUMNS} FROM monitors m WHERE m.id = ANY($1::text[])`,
    [ids],
    "heartbeat_load",
  );
  return rows.map(toStored);
}

/** Locks the monitors (in id order, so two writers never deadlock) and loads their heartbeat state. */
export async function lockMonitors(sql: SqlClient, ids: string[]): Promise<StoredMonitor[]> {
  if (ids.length === 0) return [];
  const rows = await sql.query<MonitorRow>(
    `SELECT ${COLUMNS} FROM monitors m WHERE m.id = ANY($1::text[]) ORDER BY m.id FOR UPDATE OF m`,
    [ids],
  );
  return rows.map(toStored);
}

/**
 * Locks up to `limit` heartbeat monitors whose deadline has passed, through the deadline's index.
 * SKIP LOCKED: another alerter, or a ping being recorded, has that monitor in hand.
 */
export async function lockDueMonitors(sql: SqlClient, now: Date, limit: number): Promise<StoredMonitor[]> {
  const rows = await sql.query<MonitorRow>(
    `SELECT ${COLUMNS} FROM monitors m
     WHERE m.heartbeat_deadline_at <= $1::timestamptz AND m.deleted_at IS NULL AND NOT m.paused AND m.type = 'heartbeat'
     ORDER BY m.heartbeat_deadline_at
     LIMIT $2::int
     FOR UPDATE OF m SKIP LOCKED`,
    [now, limit],
  );
  return rows.map(toStored);
}

export interface PingRow {
  id: string;
  organizationId: string;
  monitorId: string;
  kind: PingKind;
  exitCode: number | null;
  rid: string | null;
  durationMs: number | null;
  method: string;
  sourceIp: string | null;
  userAgent: string | null;
  body: string | null;
  createdAt: Date;
}

export interface RunRow {
  id: string;
  monitorId: string;
  rid: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

/** Everything one transaction writes; any part may be empty. */
export interface HeartbeatWrites {
  pings?: PingRow[];
  /** Runs to insert (finished too when their finish came in the same batch). */
  newRuns?: RunRow[];
  /** Runs already stored that are now finished. */
  finished?: { id: string; at: Date }[];
  /**
   * Each monitor's new state. With a `version`, the monitor is written only if its row is still that
   * version, and so are its pings, runs and events: a writer that read it earlier lost a race and
   * must read it again. Without one, the caller holds the row lock.
   */
  states: { id: string; state: HeartbeatState; version?: string }[];
  events: MonitorEventRow[];
}

export interface WriteResult {
  /** The monitors written, each with its row's new version. */
  written: Map<string, string>;
  /** monitor.down/up events inserted (an instant already stored is not inserted twice). */
  events: number;
}

const toDate = (ms: number | null) => (ms === null ? null : new Date(ms));

/**
 * All of a batch's writes in one statement (one round trip however many pings, atomic without a
 * transaction): each monitor's status, streaks, last success and deadline, then, for the monitors
 * written, the log, runs opened and finished, and the state changes, which are unique per
 * (monitor, tick, type) so an instant applied twice yields one event. A row costs a few array
 * elements, not a statement.
 */
function heartbeatStatement(writes: HeartbeatWrites): { text: string; values: unknown[] } {
  const values = [
    ...columns(writes.states, {
      id: (u) => u.id,
      status: (u) => u.state.status,
      fail_streak: (u) => u.state.failStreak,
      pass_streak: (u) => u.state.passStreak,
      last_ping_at: (u) => toDate(u.state.lastSuccessAt),
      deadline_at: (u) => toDate(u.state.deadlineAt),
      version: (u) => u.version ?? null,
    }),
    ...columns(writes.pings ?? [], {
      id: (p) => p.id,
      organization_id: (p) => p.organizationId,
      monitor_id: (p) => p.monitorId,
      kind: (p) => p.kind,
      exit_code: (p) => p.exitCode,
      rid: (p) => p.rid,
      duration_ms: (p) => p.durationMs,
      method: (p) => p.method,
      source_ip: (p) => p.sourceIp,
      user_agent: (p) => p.userAgent,
      body: (p) => p.body,
      created_at: (p) => p.createdAt,
    }),
    ...columns(writes.newRuns ?? [], {
      id: (r) => r.id,
      monitor_id: (r) => r.monitorId,
      rid: (r) => r.rid,
      started_at: (r) => r.startedAt,
      finished_at: (r) => r.finishedAt,
    }),
    ...columns(writes.finished ?? [], { id: (f) => f.id, at: (f) => f.at }),
    ...monitorEventColumns(writes.events),
  ];
  return {
    text: `WITH states AS (
      UPDATE monitors AS m SET status = u.status::"MonitorStatus", fail_streak = u.fail_streak,
        pass_streak = u.pass_streak, heartbeat_last_ping_at = u.last_ping_at, heartbeat_deadline_at = u.deadline_at
      FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::timestamptz[], $6::timestamptz[], $7::text[])
        AS u(id, status, fail_streak, pass_streak, last_ping_at, deadline_at, version)
      WHERE m.id = u.id AND (u.version IS NULL OR m.xmin = u.version::xid)
      RETURNING m.id, m.xmin::text AS version
    ), pings AS (
      INSERT INTO heartbeat_pings
        (id, organization_id, monitor_id, kind, exit_code, rid, duration_ms, method, source_ip, user_agent, body, created_at)
      SELECT * FROM unnest($8::text[], $9::text[], $10::text[], $11::text[]::"PingKind"[], $12::int[], $13::text[],
        $14::int[], $15::text[], $16::text[], $17::text[], $18::text[], $19::timestamptz[])
        AS p(id, organization_id, monitor_id, kind, exit_code, rid, duration_ms, method, source_ip, user_agent, body, created_at)
      WHERE p.monitor_id IN (SELECT id FROM states)
    ), runs AS (
      INSERT INTO heartbeat_runs (id, monitor_id, rid, started_at, finished_at)
      SELECT * FROM unnest($20::text[], $21::text[], $22::text[], $23::timestamptz[], $24::timestamptz[])
        AS r(id, monitor_id, rid, started_at, finished_at)
      WHERE r.monitor_id IN (SELECT id FROM states)
    ), finished AS (
      UPDATE heartbeat_runs AS r SET finished_at = f.at
      FROM unnest($25::text[], $26::timestamptz[]) AS f(id, at)
      WHERE r.id = f.id AND r.monitor_id IN (SELECT id FROM states)
    ), events AS (
      ${insertMonitorEvents(27, "WHERE e.monitor_id IN (SELECT id FROM states)")}
    )
    SELECT s.id, s.version, (SELECT count(*) FROM events)::int AS events FROM states s`,
    values,
  };
}

export async function writeHeartbeats(sql: SqlClient, writes: HeartbeatWrites): Promise<WriteResult> {
  const { text, values } = heartbeatStatement(writes);
  const rows = await sql.query<{ id: string; version: string; events: number }>(text, values, "heartbeat_write");
  return { written: new Map(rows.map((row) => [row.id, row.version])), events: rows[0]?.events ?? 0 };
}

/** State changes as monitor_events rows, the shape the incident consumer reads (packages/incidents). */
export function eventRows(monitor: StoredMonitor, changes: StateChange[]): MonitorEventRow[] {
  return changes.map((change) => ({
    id: newId("event"),
    organizationId: monitor.organizationId,
    monitorId: monitor.id,
    type: change.type,
    from: change.from,
    to: change.to,
    tick: new Date(change.tick),
    cause: change.cause,
  }));
}
