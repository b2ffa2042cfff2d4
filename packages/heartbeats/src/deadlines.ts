import { type Db, type MonitorEventRow, prismaSql } from "@upfleet/db";
import { eventRows, lockDueMonitors, lockMonitors, writeHeartbeats } from "./store.ts";
import { applyExpiry, deadlineFor, deadlineOnResume, type HeartbeatState } from "./transitions.ts";

export interface ExpiryReport {
  /** Monitors whose passed deadline was applied. */
  expired: number;
  /** monitor.down events written (a monitor already down writes none). */
  events: number;
  /** How late each deadline was applied (ms after its instant). */
  latenessMs: number[];
}

/**
 * Applies every passed deadline, up to `limit` monitors per call: down with "missed" or "run
 * exceeded" at the deadline's instant, and no deadline until a ping brings the monitor back.
 * Safe with several alerters (SKIP LOCKED) and idempotent (the event is unique per instant).
 */
export async function expireDeadlines(db: Db, options: { now?: Date; limit?: number } = {}): Promise<ExpiryReport> {
  const now = options.now ?? new Date();
  return db.$transaction(
    async (tx) => {
      const sql = prismaSql(tx);
      const due = await lockDueMonitors(sql, now, options.limit ?? 500);
      if (due.length === 0) return { expired: 0, events: 0, latenessMs: [] };
      const states: { id: string; state: HeartbeatState }[] = [];
      const events: MonitorEventRow[] = [];
      for (const monitor of due) {
        const { state, change } = applyExpiry(monitor.schedule, monitor.state, now.getTime());
        states.push({ id: monitor.id, state });
        if (change) events.push(...eventRows(monitor, [change]));
      }
      const written = await writeHeartbeats(sql, { states, events });
      const latenessMs = due.map((m) => now.getTime() - (m.state.deadlineAt ?? now.getTime()));
      return { expired: due.length, events: written.events, latenessMs };
    },
    { maxWait: 10_000, timeout: 60_000 },
  );
}

/** The earliest deadline still to come, to wake up for it rather than at the next poll. */
export async function nextDeadline(db: Db): Promise<Date | null> {
  const [row] = await db.$queryRaw<{ at: Date }[]>`
    SELECT heartbeat_deadline_at AS at FROM monitors
    WHERE heartbeat_deadline_at IS NOT NULL AND deleted_at IS NULL AND NOT paused AND type = 'heartbeat'
    ORDER BY heartbeat_deadline_at LIMIT 1`;
  return row?.at ?? null;
}

/**
 * Brings a heartbeat monitor's deadline in line with its definition after a write (PATCH, pause,
 * resume, delete): a deadline that had already passed is applied first, as a ping would, then the
 * next one is computed from the new settings. `resumed`: the monitor was just resumed.
 */
export async function settleHeartbeat(
  db: Db,
  monitorId: string,
  options: { resumed?: boolean; now?: Date } = {},
): Promise<void> {
  const now = (options.now ?? new Date()).getTime();
  await db.$transaction(async (tx) => {
    const sql = prismaSql(tx);
    const [monitor] = await lockMonitors(sql, [monitorId]);
    if (!monitor) return;
    if (monitor.gone) {
      await writeHeartbeats(sql, {
        states: [{ id: monitor.id, state: { ...monitor.state, deadlineAt: null } }],
        events: [],
      });
      return;
    }
    const { state, change } = applyExpiry(monitor.schedule, monitor.state, now);
    const deadlineAt = options.resumed
      ? deadlineOnResume(monitor.schedule, state, now)
      : deadlineFor(monitor.schedule, state, now);
    await writeHeartbeats(sql, {
      states: [{ id: monitor.id, state: { ...state, deadlineAt } }],
      events: change ? eventRows(monitor, [change]) : [],
    });
  });
}
