import { DateTime } from "luxon";

/**
 * When a maintenance window is on. Pure: a window's definition in, instants (epoch ms) out.
 *
 * The first occurrence is [startsAt, endsAt). A daily (weekly) window then recurs every day (week)
 * at the same wall-clock time in its time zone, so 02:00–04:00 Europe/Berlin stays 02:00 local
 * across daylight-saving changes; each occurrence lasts as long as the first.
 */
export type Repeat = "daily" | "weekly";

export interface WindowTimes {
  startsAt: Date;
  endsAt: Date;
  repeat: Repeat | null;
  /** IANA zone the repetition keeps its wall-clock time in. */
  timezone: string;
}

export interface Interval {
  start: number;
  end: number;
}

const STEP_DAYS: Record<Repeat, number> = { daily: 1, weekly: 7 };
const DAY_MS = 86_400_000;

/** The longest a window may last: an occurrence must end before the next one starts. */
export function maxDurationMs(repeat: Repeat | null): number | null {
  return repeat ? STEP_DAYS[repeat] * DAY_MS : null;
}

/** The start of occurrence `n` (0 is the first): n steps of calendar days later, same local time. */
function startOf(window: WindowTimes, n: number): number {
  if (n === 0 || !window.repeat) return window.startsAt.getTime();
  return DateTime.fromJSDate(window.startsAt, { zone: window.timezone })
    .plus({ days: n * STEP_DAYS[window.repeat] })
    .toMillis();
}

/**
 * Iterations no single look may exceed, whatever the range asked: the loop below is bounded by
 * construction, so no stored window (an instant past year 9999 reads back as an invalid date) can
 * spin it. The widest real look is a 90-day report of a daily window.
 */
const MAX_STEPS = 1_000;

/**
 * The occurrences that overlap [from, to), in order. Occurrence n starts within a few hours of
 * startsAt + n steps (time zone shifts), so the search starts one step early and stops at `to`.
 * Invalid times (NaN) have no occurrences.
 */
export function occurrencesBetween(window: WindowTimes, from: number, to: number): Interval[] {
  const first = window.startsAt.getTime();
  const duration = window.endsAt.getTime() - first;
  if (![first, duration, from, to].every(Number.isFinite) || from >= to) return [];
  if (!window.repeat) {
    return first < to && first + duration > from ? [{ start: first, end: first + duration }] : [];
  }
  const stepMs = STEP_DAYS[window.repeat] * DAY_MS;
  const found: Interval[] = [];
  const n0 = Math.max(0, Math.floor((from - first) / stepMs) - 1);
  const steps = Math.min(MAX_STEPS, Math.ceil((to - Math.max(from, first)) / stepMs) + 3);
  for (let n = n0; n < n0 + steps; n++) {
    const start = startOf(window, n);
    if (!Number.isFinite(start) || start >= to) break;
    if (start + duration > from) found.push({ start, end: start + duration });
  }
  return found;
}

/** The occurrence `at` falls in, if any. */
export function occurrenceAt(window: WindowTimes, at: number): Interval | null {
  return occurrencesBetween(window, at, at + 1)[0] ?? null;
}

/** The union of overlapping intervals, sorted: what a set of windows covers. */
export function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged.at(-1);
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}
