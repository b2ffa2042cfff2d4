import type { Db, Prisma } from "@upfleet/db";
import { type Interval, mergeIntervals, occurrenceAt, occurrencesBetween, type WindowTimes } from "./occurrences.ts";

type Client = Db | Prisma.TransactionClient;

interface StoredWindow extends WindowTimes {
  monitorIds: string[];
}

/** The windows naming any of these monitors (the GIN index on monitor_ids answers `&&`). */
async function windowsNaming(client: Client, monitorIds: string[]): Promise<StoredWindow[]> {
  if (monitorIds.length === 0) return [];
  return client.maintenanceWindow.findMany({
    where: { monitorIds: { hasSome: [...new Set(monitorIds)] } },
    select: { monitorIds: true, startsAt: true, endsAt: true, repeat: true, timezone: true },
  });
}

/**
 * Which of these (monitor, instant) pairs fall in one of the monitor's maintenance windows: the
 * events and incidents that must not alert. One query for the lot.
 */
export async function inMaintenance(client: Client, items: { monitorId: string; at: Date }[]): Promise<boolean[]> {
  const windows = await windowsNaming(
    client,
    items.map((item) => item.monitorId),
  );
  if (windows.length === 0) return items.map(() => false);
  return items.map(({ monitorId, at }) =>
    windows.some((w) => w.monitorIds.includes(monitorId) && occurrenceAt(w, at.getTime()) !== null),
  );
}

/** The time in [from, to) a monitor spent in maintenance, as sorted disjoint intervals (uptime leaves it out). */
export async function maintenanceIntervals(
  client: Client,
  monitorId: string,
  from: Date,
  to: Date,
): Promise<Interval[]> {
  const windows = await windowsNaming(client, [monitorId]);
  return mergeIntervals(
    windows.flatMap((w) =>
      occurrencesBetween(w, from.getTime(), to.getTime()).map((o) => ({
        start: Math.max(o.start, from.getTime()),
        end: Math.min(o.end, to.getTime()),
      })),
    ),
  );
}
