import type { Db } from "@upfleet/db";
import { maintenanceIntervalsOf } from "@upfleet/maintenance";
import { outsideMaintenance, type UptimeCounts, uptimePercent } from "@upfleet/monitoring";
import { heldChecks } from "@upfleet/monitors";
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

/**
 * Each monitor's daily uptime over the last `days` UTC days (today included), maintenance left
 * out, and whether it is in maintenance now: three queries whatever the number of monitors.
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
  const held = await heldChecks(db, intervals, DAY_SPAN);
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
