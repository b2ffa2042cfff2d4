import type { Db } from "@upfleet/db";
import { type Interval, maintenanceIntervalsOf } from "@upfleet/maintenance";
import { outsideMaintenance, type UptimeCounts, uptimePercent } from "@upfleet/monitoring";
import { heldChecks } from "@upfleet/monitors";
import { TtlCache } from "./cache.ts";
import { DAY_MS, utcDay } from "./states.ts";

/** Daily rollups exist (packages/ingest keeps hourly and daily spans); a bar is one of them. */
const DAY_SPAN = 86_400;

export interface DailyUptime {
  /** The UTC day, `2026-03-25`. */
  date: string;
  /** null: no check that day (outside maintenance). */
  uptime_percent: number | null;
}

export interface MonitorUptime {
  /** Oldest first, ending today. */
  bars: DailyUptime[];
  /** Over all the bars; null without any check. */
  uptime: number | null;
  /** A maintenance window of the monitor is on now. */
  inMaintenance: boolean;
}

type RollupDay = { bucket: Date; checks: number; failed: number };

/**
 * `days` bars, oldest first, ending today (UTC); a day without a rollup is "no data". Checks made
 * in maintenance (`held`, per day) count neither as up nor as down, as in GET /monitors/:id/uptime.
 */
export function dailyBars(
  rows: readonly RollupDay[],
  today: number,
  days: number,
  held: ReadonlyMap<number, UptimeCounts> = new Map(),
) {
  const byDay = new Map(rows.map((row) => [row.bucket.getTime(), row]));
  let checks = 0;
  let failed = 0;
  const bars: DailyUptime[] = Array.from({ length: days }, (_, i) => {
    const day = today - (days - 1 - i) * DAY_MS;
    const row = byDay.get(day);
    const counted = outsideMaintenance({ checks: row?.checks ?? 0, failed: row?.failed ?? 0 }, held.get(day));
    checks += counted.checks;
    failed += counted.failed;
    return {
      date: new Date(day).toISOString().slice(0, 10),
      uptime_percent: counted.checks ? uptimePercent(counted.checks, counted.failed) : null,
    };
  });
  return { bars, uptime: checks ? uptimePercent(checks, failed) : null };
}

/** Checks in maintenance on closed days hardly change (a late region's result at most): kept this long. */
const CLOSED_DAYS_TTL_MS = 3_600_000;
const closedDaysHeld = new TtlCache<string, Map<number, UptimeCounts>>(CLOSED_DAYS_TTL_MS, 10_000);

/** `intervals` cut at `at`: the parts before it and the parts from it on. */
function splitAt(intervals: readonly Interval[], at: number): [Interval[], Interval[]] {
  const before = intervals.filter((i) => i.start < at).map((i) => ({ start: i.start, end: Math.min(i.end, at) }));
  const after = intervals.filter((i) => i.end > at).map((i) => ({ start: Math.max(i.start, at), end: i.end }));
  return [before, after];
}

/**
 * Checks made in each monitor's maintenance, per UTC day. Counting them reads raw results (the
 * rollups cannot tell them apart), which a page rebuilt every few seconds for anyone must not redo
 * for 90 days of windows: closed days are kept per monitor and window set (one query for all the
 * monitors missing), and only today's windows are counted on every build.
 */
async function heldPerDay(
  db: Db,
  intervals: ReadonlyMap<string, Interval[]>,
  today: number,
): Promise<Map<string, Map<number, UptimeCounts>>> {
  const closed = new Map<string, Interval[]>();
  const open = new Map<string, Interval[]>();
  for (const [id, list] of intervals) {
    const [before, after] = splitAt(list, today);
    if (before.length) closed.set(id, before);
    if (after.length) open.set(id, after);
  }
  let missing: Promise<Map<string, Map<number, UptimeCounts>>> | undefined;
  const [past, current] = await Promise.all([
    Promise.all(
      [...closed].map(async ([id, list]) => {
        const key = `${id}|${list.map((i) => `${i.start}-${i.end}`).join(",")}`;
        const days = await closedDaysHeld.get(key, async () => {
          missing ??= heldChecks(db, closed, DAY_SPAN);
          return (await missing).get(id) ?? new Map();
        });
        return [id, days] as const;
      }),
    ),
    heldChecks(db, open, DAY_SPAN),
  ]);
  const held = new Map<string, Map<number, UptimeCounts>>();
  for (const [id, days] of past) held.set(id, new Map(days));
  for (const [id, days] of current) {
    const merged = held.get(id) ?? new Map<number, UptimeCounts>();
    for (const [day, counts] of days) merged.set(day, counts);
    held.set(id, merged);
  }
  return held;
}

/**
 * Each monitor's daily uptime over the last `days` UTC days (today included), maintenance left
 * out, and whether it is in maintenance now: a few queries whatever the number of monitors.
 */
export async function dailyUptimeOf(
  db: Db,
  monitorIds: string[],
  days: number,
  now = Date.now(),
): Promise<Map<string, MonitorUptime>> {
  const today = utcDay(now);
  const from = new Date(today - (days - 1) * DAY_MS);
  const [rollups, intervals] = await Promise.all([
    db.checkRollup.findMany({
      where: { monitorId: { in: monitorIds }, span: DAY_SPAN, bucket: { gte: from } },
      select: { monitorId: true, bucket: true, checks: true, failed: true },
    }),
    // To just past now, so an occurrence on now shows as an interval holding it.
    maintenanceIntervalsOf(db, monitorIds, from, new Date(now + 1)),
  ]);
  const held = await heldPerDay(db, intervals, today);
  const rollupsOf = new Map<string, RollupDay[]>();
  for (const row of rollups) {
    const list = rollupsOf.get(row.monitorId) ?? [];
    list.push(row);
    rollupsOf.set(row.monitorId, list);
  }
  const result = new Map<string, MonitorUptime>();
  for (const id of monitorIds) {
    const { bars, uptime } = dailyBars(rollupsOf.get(id) ?? [], today, days, held.get(id));
    const inMaintenance = (intervals.get(id) ?? []).some((i) => i.start <= now && now < i.end);
    result.set(id, { bars, uptime, inMaintenance });
  }
  return result;
}
