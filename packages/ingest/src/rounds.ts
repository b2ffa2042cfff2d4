import type { Db, Prisma } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import { applyRound, type CheckOutcome, type MonitorState, roundOutcome } from "@upfleet/monitoring";

interface RoundRow {
  monitor_id: string;
  tick: Date;
  region: string;
  status: CheckOutcome;
  http_status: number | null;
  response_ms: number | null;
  error: string | null;
  message: string | null;
}

export interface RoundsReport {
  /** Monitors with a round still waiting for regions, and when to decide without them. */
  pending: Map<string, number>;
  events: number;
}

/**
 * Applies every round that can be decided, in tick order, to the monitors given. A round is decided
 * when all the monitor's regions reported, or once its interval has passed (the others are missing).
 * The update is conditional on the state it started from, so two alerters cannot both apply a round.
 */
export async function applyRounds(db: Db, monitorIds: string[], nowMs = Date.now()): Promise<RoundsReport> {
  const report: RoundsReport = { pending: new Map(), events: 0 };
  if (monitorIds.length === 0) return report;
  const monitors = await db.monitor.findMany({
    where: { id: { in: monitorIds }, paused: false, deletedAt: null },
  });
  if (monitors.length === 0) return report;
  const rows = await db.$queryRaw<RoundRow[]>`
    SELECT m.id AS monitor_id, r.tick, r.region, r.status::text AS status, r.http_status, r.response_ms, r.error, r.message
    FROM monitors m JOIN check_results r ON r.monitor_seq = m.seq
    WHERE m.id = ANY(${monitors.map((m) => m.id)}::text[])
      AND r.tick > COALESCE(m.last_round_at, 'epoch'::timestamptz)
      AND r.tick > now() - interval '1 day'
    ORDER BY m.id, r.tick`;
  const byMonitor = new Map<string, Map<number, RoundRow[]>>();
  for (const row of rows) {
    const ticks = byMonitor.get(row.monitor_id) ?? new Map<number, RoundRow[]>();
    const results = ticks.get(row.tick.getTime()) ?? [];
    results.push(row);
    results.sort((a, b) => a.region.localeCompare(b.region));
    ticks.set(row.tick.getTime(), results);
    byMonitor.set(row.monitor_id, ticks);
  }

  const updates: { id: string; from: Date | null; state: MonitorState; lastRoundAt: Date }[] = [];
  const events: Prisma.MonitorEventCreateManyInput[] = [];
  for (const monitor of monitors) {
    const ticks = byMonitor.get(monitor.id);
    if (!ticks) continue;
    let state: MonitorState = {
      status: monitor.status,
      failStreak: monitor.failStreak,
      passStreak: monitor.passStreak,
    };
    let lastRoundAt: Date | null = null;
    for (const [tick, results] of [...ticks].sort((a, b) => a[0] - b[0])) {
      const reported = new Set(results.filter((r) => monitor.regions.includes(r.region)).map((r) => r.region));
      const complete = reported.size >= monitor.regions.length;
      const deadline = tick + monitor.intervalSeconds * 1000;
      if (!complete && deadline > nowMs) {
        report.pending.set(monitor.id, deadline);
        break;
      }
      const outcome = roundOutcome(results.map((r) => r.status));
      lastRoundAt = new Date(tick);
      if (!outcome) continue;
      const transition = applyRound(state, outcome, {
        confirmations: monitor.confirmations,
        recoveryConfirmations: monitor.recoveryConfirmations,
      });
      state = transition.state;
      if (transition.change?.event) {
        const failing = results.filter((r) => r.status !== "up");
        const sample = failing[0] ?? results[0]!;
        events.push({
          id: newId("event"),
          organizationId: monitor.organizationId,
          monitorId: monitor.id,
          type: transition.change.event,
          fromStatus: transition.change.from,
          toStatus: transition.change.to,
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
    if (lastRoundAt) updates.push({ id: monitor.id, from: monitor.lastRoundAt, state, lastRoundAt });
  }
  if (updates.length === 0) return report;
  updates.sort((a, b) => a.id.localeCompare(b.id));
  const col = <T>(pick: (u: (typeof updates)[number]) => T) => updates.map(pick);
  // One statement for the whole batch; events are unique per (monitor, tick, type), so a round
  // applied twice (two alerters, a redelivery) still yields one event.
  const [, inserted] = await db.$transaction([
    db.$executeRaw`
      UPDATE monitors AS m SET status = u.status::"MonitorStatus", fail_streak = u.fail_streak,
        pass_streak = u.pass_streak, last_round_at = u.last_round_at
      FROM unnest(${col((u) => u.id)}::text[], ${col((u) => u.from)}::timestamptz[], ${col((u) => u.state.status)}::text[],
                  ${col((u) => u.state.failStreak)}::int[], ${col((u) => u.state.passStreak)}::int[],
                  ${col((u) => u.lastRoundAt)}::timestamptz[])
        AS u(id, previous, status, fail_streak, pass_streak, last_round_at)
      WHERE m.id = u.id AND m.last_round_at IS NOT DISTINCT FROM u.previous`,
    db.monitorEvent.createMany({ data: events, skipDuplicates: true }),
  ]);
  report.events = inserted.count;
  return report;
}
