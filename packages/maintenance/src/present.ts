import type { Prisma } from "@upfleet/db";
import { type Interval, occurrencesBetween, type WindowTimes } from "./occurrences.ts";

export type WindowRow = Prisma.MaintenanceWindowGetPayload<object>;

const iso = (ms: number) => new Date(ms).toISOString();

/** A week and a day: past the first occurrence, a weekly window's next one starts within a week (± DST). */
const LOOKAHEAD_MS = 8 * 86_400_000;

/** The occurrence on at `now`, else the next one; null once a one-off window is over. */
function currentOrNext(window: WindowTimes, now: number): Interval | null {
  const horizon = Math.max(now, window.startsAt.getTime()) + LOOKAHEAD_MS;
  return occurrencesBetween(window, now, horizon)[0] ?? null;
}

/** The API's maintenance window, with whether it is on at `now` and its current or next occurrence. */
export function presentWindow(row: WindowRow, now: number) {
  const next = currentOrNext(row, now);
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    monitor_ids: row.monitorIds,
    starts_at: row.startsAt.toISOString(),
    ends_at: row.endsAt.toISOString(),
    repeat: row.repeat,
    timezone: row.timezone,
    active: next !== null && next.start <= now,
    next_occurrence: next && { starts_at: iso(next.start), ends_at: iso(next.end) },
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export type PresentedWindow = ReturnType<typeof presentWindow>;
