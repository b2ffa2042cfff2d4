import type { MonitorStatus, Prisma } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import { type HeartbeatSchedule, scheduleOf } from "./schedule.ts";
import type { HeartbeatState, OpenRun, StateChange } from "./transitions.ts";

/** The monitor rows heartbeats read and write, loaded under a row lock so one writer applies at a time. */

type Tx = Prisma.TransactionClient;

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
}

export interface LockedMonitor {
  id: string;
  organizationId: string;
  /** Deleted, or no longer a heartbeat monitor: pings for it are refused. */
  gone: boolean;
  schedule: HeartbeatSchedule;
  state: HeartbeatState;
}

/** max runtime is at most 7 days (packages/monitors): an older open run can never matter again. */
const OPEN_RUN_HORIZON = "7 days";

async function withOpenRuns(tx: Tx, rows: MonitorRow[]): Promise<LockedMonitor[]> {
  if (rows.length === 0) return [];
  const runs = await tx.$queryRaw<{ id: string; monitor_id: string; rid: string | null; started_at: Date }[]>`
    SELECT id, monitor_id, rid, started_at FROM heartbeat_runs
    WHERE monitor_id = ANY(${rows.map((r) => r.id)}::text[]) AND finished_at IS NULL
      AND started_at > now() - ${OPEN_RUN_HORIZON}::interval
    ORDER BY started_at, id`;
  const byMonitor = new Map<string, OpenRun[]>();
  for (const run of runs) {
    const list = byMonitor.get(run.monitor_id) ?? [];
    list.push({ id: run.id, rid: run.rid, startedAt: run.started_at.getTime() });
    byMonitor.set(run.monitor_id, list);
  }
  return rows.map((row) => ({
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
      openRuns: byMonitor.get(row.id) ?? [],
    },
  }));
}

/** Locks the monitors (in id order, so two writers never deadlock) and loads their heartbeat state. */
export async function lockMonitors(tx: Tx, ids: string[]): Promise<LockedMonitor[]> {
  if (ids.length === 0) return [];
  const rows = await tx.$queryRaw<MonitorRow[]>`
    SELECT id, organization_id, type::text AS type, status::text AS status, fail_streak, pass_streak, paused,
      deleted_at, interval_seconds, settings, heartbeat_last_ping_at, heartbeat_deadline_at
    FROM monitors WHERE id = ANY(${ids}::text[])
    ORDER BY id FOR UPDATE`;
  return withOpenRuns(tx, rows);
}

/**
 * Locks up to `limit` heartbeat monitors whose deadline has passed, through the deadline's index.
 * SKIP LOCKED: another alerter, or a ping being recorded, has that monitor in hand.
 */
export async function lockDueMonitors(tx: Tx, now: Date, limit: number): Promise<LockedMonitor[]> {
  const rows = await tx.$queryRaw<MonitorRow[]>`
    SELECT id, organization_id, type::text AS type, status::text AS status, fail_streak, pass_streak, paused,
      deleted_at, interval_seconds, settings, heartbeat_last_ping_at, heartbeat_deadline_at
    FROM monitors
    WHERE heartbeat_deadline_at <= ${now} AND deleted_at IS NULL AND NOT paused AND type = 'heartbeat'
    ORDER BY heartbeat_deadline_at
    LIMIT ${limit}
    FOR UPDATE SKIP LOCKED`;
  return withOpenRuns(tx, rows);
}

const toDate = (ms: number | null) => (ms === null ? null : new Date(ms));

/** Writes status, streaks, last success and deadline of each monitor in one statement. */
export async function saveStates(tx: Tx, updates: { id: string; state: HeartbeatState }[]): Promise<void> {
  if (updates.length === 0) return;
  const col = <T>(pick: (u: (typeof updates)[number]) => T) => updates.map(pick);
  await tx.$executeRaw`
    UPDATE monitors AS m SET status = u.status::"MonitorStatus", fail_streak = u.fail_streak,
      pass_streak = u.pass_streak, heartbeat_last_ping_at = u.last_ping_at, heartbeat_deadline_at = u.deadline_at
    FROM unnest(${col((u) => u.id)}::text[], ${col((u) => u.state.status)}::text[],
                ${col((u) => u.state.failStreak)}::int[], ${col((u) => u.state.passStreak)}::int[],
                ${col((u) => toDate(u.state.lastSuccessAt))}::timestamptz[],
                ${col((u) => toDate(u.state.deadlineAt))}::timestamptz[])
      AS u(id, status, fail_streak, pass_streak, last_ping_at, deadline_at)
    WHERE m.id = u.id`;
}

/** State changes as monitor_events rows, the shape the incident consumer reads (packages/incidents). */
export function eventRows(monitor: LockedMonitor, changes: StateChange[]): Prisma.MonitorEventCreateManyInput[] {
  return changes.map((change) => ({
    id: newId("event"),
    organizationId: monitor.organizationId,
    monitorId: monitor.id,
    type: change.type,
    fromStatus: change.from,
    toStatus: change.to,
    tick: new Date(change.tick),
    cause: change.cause as Prisma.InputJsonValue,
  }));
}

/** Events are unique per (monitor, tick, type): an instant applied twice yields one event. */
export async function insertEvents(tx: Tx, events: Prisma.MonitorEventCreateManyInput[]): Promise<number> {
  if (events.length === 0) return 0;
  return (await tx.monitorEvent.createMany({ data: events, skipDuplicates: true })).count;
}
