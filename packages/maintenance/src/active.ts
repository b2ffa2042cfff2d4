import type { Db, Prisma } from "@upfleet/db";
import {
  type Interval,
  mergeIntervals,
  occurrenceAt,
  occurrencesBetween,
  type Repeat,
  type WindowTimes,
} from "./occurrences.ts";

type Client = Db | Prisma.TransactionClient;

interface StoredWindow extends WindowTimes {
  id: string;
  monitorIds: string[];
}

const WINDOW_FIELDS = {
  id: true,
  monitorIds: true,
  startsAt: true,
  endsAt: true,
  repeat: true,
  timezone: true,
} as const;

/**
 * How far ahead maintenanceEnds follows windows that start as the one before ends: a daily window
 * lasting 24 h never ends, and a caller holding work until the end asks again then.
 */
const HORIZON_MS = 8 * 86_400_000;

/** The windows naming any of these monitors (the GIN index on monitor_ids answers `&&`). */
async function windowsNaming(client: Client, monitorIds: string[]): Promise<StoredWindow[]> {
  if (monitorIds.length === 0) return [];
  return client.maintenanceWindow.findMany({
    where: { monitorIds: { hasSome: [...new Set(monitorIds)] } },
    select: WINDOW_FIELDS,
  });
}

/** When the maintenance `at` falls in ends, following windows that take over from one another. */
function endOfMaintenance(windows: StoredWindow[], at: number): number | null {
  let end: number | null = null;
  // Each pass moves to a later end; the cap bounds it whatever the windows (a chain of 1,000
  // windows each taking over from the last is far past any real schedule).
  for (let t = at, pass = 0; t < at + HORIZON_MS && pass < 1_000; pass++) {
    const covering = windows.map((w) => occurrenceAt(w, t)).filter((o): o is Interval => o !== null);
    const next = Math.max(...covering.map((o) => o.end));
    if (!(next > t)) break;
    end = t = next;
  }
  return end;
}

/**
 * For each (monitor, instant): when the maintenance it falls in ends (windows that overlap or follow
 * on count as one), or null outside maintenance. What holds an escalation step until then.
 */
export async function maintenanceEnds(
  client: Client,
  items: { monitorId: string; at: Date }[],
): Promise<(Date | null)[]> {
  const windows = await windowsNaming(
    client,
    items.map((item) => item.monitorId),
  );
  if (windows.length === 0) return items.map(() => null);
  return items.map(({ monitorId, at }) => {
    const end = endOfMaintenance(
      windows.filter((w) => w.monitorIds.includes(monitorId)),
      at.getTime(),
    );
    return end === null ? null : new Date(end);
  });
}

/**
 * Which of these (monitor, instant) pairs fall in one of the monitor's maintenance windows: the
 * events and incidents that must not alert. One query for the lot.
 */
export async function inMaintenance(client: Client, items: { monitorId: string; at: Date }[]): Promise<boolean[]> {
  return (await maintenanceEnds(client, items)).map((end) => end !== null);
}

/** The time in [from, to) a monitor spent in maintenance, as sorted disjoint intervals (uptime leaves it out). */
export async function maintenanceIntervals(
  client: Client,
  monitorId: string,
  from: Date,
  to: Date,
): Promise<Interval[]> {
  return (await maintenanceIntervalsOf(client, [monitorId], from, to)).get(monitorId) ?? [];
}

/** The same for many monitors in one query: each monitor's intervals (none: no entry). */
export async function maintenanceIntervalsOf(
  client: Client,
  monitorIds: string[],
  from: Date,
  to: Date,
): Promise<Map<string, Interval[]>> {
  const windows = await windowsNaming(client, monitorIds);
  const wanted = new Set(monitorIds);
  const byMonitor = new Map<string, Interval[]>();
  for (const w of windows) {
    const occurrences = occurrencesBetween(w, from.getTime(), to.getTime()).map((o) => ({
      start: Math.max(o.start, from.getTime()),
      end: Math.min(o.end, to.getTime()),
    }));
    if (occurrences.length === 0) continue;
    for (const id of w.monitorIds) {
      if (wanted.has(id)) byMonitor.set(id, [...(byMonitor.get(id) ?? []), ...occurrences]);
    }
  }
  for (const [id, intervals] of byMonitor) byMonitor.set(id, mergeIntervals(intervals));
  return byMonitor;
}

export interface EndedOccurrence {
  windowId: string;
  monitorIds: string[];
  end: Date;
}

/**
 * The window occurrences that ended in (from, to]: when their monitors may have to open the incident
 * maintenance held back. Every alerter asks every few seconds, so the query reads only candidates:
 * a repeating window's occurrences end a whole number of periods after its first, give or take two
 * hours of clock changes in its zone; their exact ends are computed here.
 */
export async function occurrencesEndedBetween(client: Client, from: Date, to: Date): Promise<EndedOccurrence[]> {
  const windows = await client.$queryRaw<
    { id: string; monitor_ids: string[]; starts_at: Date; ends_at: Date; repeat: Repeat | null; timezone: string }[]
  >`
    SELECT id, monitor_ids, starts_at, ends_at, repeat::text AS repeat, timezone
    FROM maintenance_windows w
    CROSS JOIN LATERAL (
      SELECT CASE w.repeat WHEN 'daily' THEN 86400 ELSE 604800 END AS period,
             extract(epoch FROM ${to}::timestamptz - w.ends_at) AS since_first
    ) p
    WHERE (w.repeat IS NULL AND w.ends_at > ${from} AND w.ends_at <= ${to})
       OR (w.repeat IS NOT NULL AND w.starts_at < ${to} AND p.since_first >= -7200
           AND (mod(p.since_first::numeric, p.period) <= extract(epoch FROM ${to}::timestamptz - ${from}::timestamptz) + 7200
                OR mod(p.since_first::numeric, p.period) >= p.period - 7200))`;
  return windows.flatMap((row) => {
    const w = { startsAt: row.starts_at, endsAt: row.ends_at, repeat: row.repeat, timezone: row.timezone };
    return occurrencesBetween(w, from.getTime(), to.getTime())
      .filter((o) => o.end <= to.getTime())
      .map((o) => ({ windowId: row.id, monitorIds: row.monitor_ids, end: new Date(o.end) }));
  });
}
