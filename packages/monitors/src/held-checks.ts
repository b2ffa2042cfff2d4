import type { Db } from "@upfleet/db";
import { type Interval, maintenanceIntervalsOf } from "@upfleet/maintenance";
import type { UptimeCounts } from "@upfleet/monitoring";

const DAY_SECONDS = 86_400;

type Held = Map<string, Map<number, UptimeCounts>>;

function put(held: Held, monitorId: string, bucket: Date, counts: UptimeCounts): void {
  const buckets = held.get(monitorId) ?? new Map<number, UptimeCounts>();
  buckets.set(bucket.getTime(), counts);
  held.set(monitorId, buckets);
}

/**
 * The checks whose tick fell in each monitor's maintenance, counted per monitor and per bucket of
 * `span` seconds (the rollups' own grouping), in one query: what uptime figures leave out. Read
 * from the raw results, as the rollups cannot tell them apart; windows are short beside a period.
 * Days whose raw results retention dropped were counted just before (freezeHeldChecks): their
 * daily rollups say it.
 */
export async function heldChecks(
  db: Db,
  intervals: ReadonlyMap<string, readonly Interval[]>,
  span: number,
): Promise<Held> {
  const spans = [...intervals].flatMap(([monitorId, list]) => list.map((interval) => ({ monitorId, ...interval })));
  const held: Held = new Map();
  if (spans.length > 0) {
    const rows = await db.$queryRaw<{ monitor_id: string; bucket: Date; checks: number; failed: number }[]>`
      SELECT w.monitor_id, to_timestamp(floor(extract(epoch FROM r.tick) / ${span}) * ${span}) AS bucket,
             count(*)::int AS checks, (count(*) FILTER (WHERE r.status = 'down'))::int AS failed
      FROM unnest(${spans.map((s) => s.monitorId)}::text[],
                  ${spans.map((s) => new Date(s.start))}::timestamptz[],
                  ${spans.map((s) => new Date(s.end))}::timestamptz[]) AS w(monitor_id, starts, ends)
      JOIN monitors m ON m.id = w.monitor_id
      JOIN check_results r ON r.monitor_seq = m.seq AND r.tick >= w.starts AND r.tick < w.ends
      GROUP BY 1, 2`;
    for (const row of rows) put(held, row.monitor_id, row.bucket, { checks: row.checks, failed: row.failed });
  }
  // Frozen days count whatever the windows are now: one deleted since still held those checks.
  if (span !== DAY_SECONDS || intervals.size === 0) return held;
  const frozen = await db.checkRollup.findMany({
    where: { monitorId: { in: [...intervals.keys()] }, span, heldChecks: { not: null } },
    select: { monitorId: true, bucket: true, heldChecks: true, heldFailed: true },
  });
  for (const r of frozen) put(held, r.monitorId, r.bucket, { checks: r.heldChecks ?? 0, failed: r.heldFailed ?? 0 });
  return held;
}

/**
 * Before the raw results of `day` (a UTC midnight) are dropped: stores each monitor's checks held
 * by maintenance that day in its daily rollup, where heldChecks finds them once the rows are gone.
 * Windows edited after this no longer change that day. Returns the rollups written.
 */
export async function freezeHeldChecks(db: Db, day: Date): Promise<number> {
  const named = await db.$queryRaw<{ id: string }[]>`
    SELECT DISTINCT unnest(monitor_ids) AS id FROM maintenance_windows`;
  if (named.length === 0) return 0;
  const ids = named.map((n) => n.id);
  const intervals = await maintenanceIntervalsOf(db, ids, day, new Date(day.getTime() + DAY_SECONDS * 1000));
  const counts = [...(await heldChecks(db, intervals, DAY_SECONDS))].flatMap(([monitorId, days]) => {
    const c = days.get(day.getTime());
    return c ? [{ monitorId, ...c }] : [];
  });
  if (counts.length === 0) return 0;
  return db.$executeRaw`
    UPDATE check_rollups r SET held_checks = h.checks, held_failed = h.failed
    FROM unnest(${counts.map((c) => c.monitorId)}::text[], ${counts.map((c) => c.checks)}::int[],
                ${counts.map((c) => c.failed)}::int[]) AS h(monitor_id, checks, failed)
    WHERE r.monitor_id = h.monitor_id AND r.span = ${DAY_SECONDS} AND r.bucket = ${day}`;
}
