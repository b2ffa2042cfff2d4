import { type CronExpression, CronExpressionParser } from "cron-parser";
import { LRUCache } from "lru-cache";
import { DateTime, IANAZone } from "luxon";
import { parseHeartbeatSettings } from "./settings.ts";

/**
 * When a heartbeat monitor expects its next success ping. Pure: the monitor's settings in, instants
 * (epoch ms) out.
 */
export interface HeartbeatSchedule {
  /** The period when there is no cron expression. */
  periodMs: number;
  cron: string | null;
  /** IANA zone the cron expression is read in. */
  timezone: string;
  graceMs: number;
  maxRuntimeMs: number | null;
  minRuntimeMs: number | null;
}

/** The columns a schedule is read from: `interval_seconds` and the type's `settings` JSON. */
export interface ScheduledMonitor {
  intervalSeconds: number;
  settings: unknown;
}

export function scheduleOf(monitor: ScheduledMonitor): HeartbeatSchedule {
  const s = parseHeartbeatSettings(monitor.settings);
  const seconds = (value: number | null) => (value === null ? null : Math.round(value * 1000));
  return {
    periodMs: monitor.intervalSeconds * 1000,
    cron: s.heartbeat_schedule?.trim() ? s.heartbeat_schedule : null,
    timezone: s.heartbeat_timezone,
    // Fractional minutes are allowed (a 30 s grace is 0.5).
    graceMs: Math.round(s.heartbeat_grace_minutes * 60_000),
    maxRuntimeMs: seconds(s.heartbeat_max_runtime_seconds),
    minRuntimeMs: seconds(s.heartbeat_min_runtime_seconds),
  };
}

/**
 * Parsed expressions are kept per expression and zone: parsing costs far more than stepping, and a
 * busy API computes one next occurrence per success ping. Bounded, since expressions are user input.
 */
const parsed = new LRUCache<string, CronExpression>({ max: 10_000 });

function expression(cron: string, timezone: string, from: number): CronExpression {
  const key = `${timezone} ${cron}`;
  let expr = parsed.get(key);
  if (!expr) {
    expr = CronExpressionParser.parse(cron, { tz: timezone, strict: false });
    parsed.set(key, expr);
  }
  expr.reset(new Date(from));
  return expr;
}

/** Whether the zone is one luxon, and so cron-parser, can read a schedule in (the maintenance windows' check too). */
export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/**
 * Minutes the zone is ahead of UTC at `ms` (e.g. 120 for Berlin in summer), from luxon: the library
 * cron-parser reads zones with, and the maintenance windows too.
 */
export function zoneOffsetMinutes(timezone: string, ms: number): number {
  return DateTime.fromMillis(ms, { zone: timezone }).offset;
}

const MINUTE = 60_000;

/**
 * The first minute at or before `ms` since which the zone has had the offset it has at `ms`. Neither
 * luxon nor cron-parser lists a zone's transitions, so it is found by bisection on the offset.
 */
function offsetChangeBefore(timezone: string, ms: number): number {
  const target = zoneOffsetMinutes(timezone, ms);
  let lo = Math.floor((ms - 3 * 3_600_000) / MINUTE) * MINUTE;
  let hi = Math.floor(ms / MINUTE) * MINUTE;
  if (zoneOffsetMinutes(timezone, lo) === target) return ms;
  while (hi - lo > MINUTE) {
    const mid = Math.floor((lo + hi) / 2 / MINUTE) * MINUTE;
    if (zoneOffsetMinutes(timezone, mid) === target) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * The first cron occurrence a ping at `afterMs` has not answered. An occurrence whose wall-clock
 * time was skipped by a spring-forward (02:30 on the day clocks jump from 02:00 to 03:00) is given
 * by cron-parser at the shifted time (03:30), while Vixie cron and cronie run such a job as soon as
 * the clocks jump (03:00): a ping between the jump and the shifted time answers that occurrence,
 * so the job's early run is not taken for the next day's, and missed.
 */
function nextCronOccurrence(cron: string, timezone: string, afterMs: number): number {
  const expr = expression(cron, timezone, afterMs);
  for (let i = 0; i < 100; i++) {
    const next = expr.next().getTime();
    const skipped = !expr.includesDate(new Date(next));
    if (!skipped || afterMs < offsetChangeBefore(timezone, next)) return next;
  }
  return expr.next().getTime();
}

/** When the success ping after one at `lastSuccessMs` is due (without the grace). */
export function nextExpectedAt(schedule: HeartbeatSchedule, lastSuccessMs: number): number {
  if (schedule.cron) return nextCronOccurrence(schedule.cron, schedule.timezone, lastSuccessMs);
  return lastSuccessMs + schedule.periodMs;
}

/** The instant a monitor whose last success was at `lastSuccessMs` is missed: next expected + grace. */
export function missedAt(schedule: HeartbeatSchedule, lastSuccessMs: number): number {
  return nextExpectedAt(schedule, lastSuccessMs) + schedule.graceMs;
}
