import type { Db } from "@upfleet/db";
import type { Interval } from "@upfleet/maintenance";
import type { UptimeCounts } from "@upfleet/monitoring";

/**
 * The checks whose tick fell in each monitor's maintenance, counted per monitor and per bucket of
 * `span` seconds (the rollups' own grouping), in one query: what uptime figures leave out. Read
 * from the raw results, as the rollups cannot tell them apart; windows are short beside a period.
 */
export async function heldChecks(
  db: Db,
  intervals: ReadonlyMap<string, readonly Interval[]>,
  span: number,
): Promise<Map<string, Map<number, UptimeCounts>>> {
  const spans = [...intervals].flatMap(([monitorId, list]) => list.map((interval) => ({ monitorId, ...interval })));
  const held = new Map<string, Map<number, UptimeCounts>>();
  if (spans.length === 0) return held;
  const rows = await db.$queryRaw<{ monitor_id: string; bucket: Date; checks: number; failed: number }[]>`
    SELECT w.monitor_id, to_timestamp(floor(extract(epoch FROM r.tick) / ${span}) * ${span}) AS bucket,
           count(*)::int AS checks, (count(*) FILTER (WHERE r.status = 'down'))::int AS failed
    FROM unnest(${spans.map((s) => s.monitorId)}::text[],
                ${spans.map((s) => new Date(s.start))}::timestamptz[],
                ${spans.map((s) => new Date(s.end))}::timestamptz[]) AS w(monitor_id, starts, ends)
    JOIN monitors m ON m.id = w.monitor_id
    JOIN check_results r ON r.monitor_seq = m.seq AND r.tick >= w.starts AND r.tick < w.ends
    GROUP BY 1, 2`;
  for (const row of rows) {
    const buckets = held.get(row.monitor_id) ?? new Map<number, UptimeCounts>();
    buckets.set(row.bucket.getTime(), { checks: row.checks, failed: row.failed });
    held.set(row.monitor_id, buckets);
  }
  return held;
}
