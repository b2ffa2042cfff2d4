import type { Db } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import { inMaintenance, occurrencesEndedBetween } from "@upfleet/maintenance";

/** The cause's `error` of the monitor.down written when a window ends on a monitor still down. */
export const STILL_DOWN_ERROR = "still down after maintenance";

/**
 * Writes the incidents maintenance held back, through the usual path: for each window occurrence
 * that ended in (from, to], a monitor.down at its end for each monitor it named that is still
 * down, so the incident opener and the fan-out take it from there. Returns the events written.
 *
 * Skipped: monitors another window still covers (its end looks again), paused or deleted ones, ones
 * with anything newer than the end (a later outage is its own), and outages already known (an
 * incident open, or opened since the monitor went down). Events are unique per (monitor, tick, type),
 * so alerters looking at the same end write it once; the monitor row is locked while its status is read.
 */
export async function downAfterMaintenance(db: Db, from: Date, to: Date): Promise<number> {
  const ended = await occurrencesEndedBetween(db, from, to);
  const byKey = new Map<string, StillDown>();
  for (const o of ended) {
    for (const monitorId of o.monitorIds)
      byKey.set(`${monitorId}@${o.end.getTime()}`, { monitorId, at: o.end, windowId: o.windowId });
  }
  return writeStillDown(db, [...byKey.values()]);
}

/**
 * The same when a window is edited or deleted: maintenance that ends early by a person's hand
 * (the window deleted, moved, or the monitor taken off it) ends now for the monitors it named, and
 * those still down get their monitor.down now — no occurrence will end later to do it.
 */
export function downAfterWindowChange(
  db: Db,
  windowId: string,
  monitorIds: string[],
  at = new Date(),
): Promise<number> {
  return writeStillDown(
    db,
    monitorIds.map((monitorId) => ({ monitorId, at, windowId })),
  );
}

interface StillDown {
  monitorId: string;
  at: Date;
  windowId: string;
}

async function writeStillDown(db: Db, candidates: StillDown[]): Promise<number> {
  if (candidates.length === 0) return 0;
  const covered = await inMaintenance(db, candidates);
  const due = candidates.filter((_, i) => !covered[i]);
  if (due.length === 0) return 0;
  return db.$executeRaw`
    INSERT INTO monitor_events (id, organization_id, monitor_id, type, from_status, to_status, tick, cause)
    SELECT c.id, m.organization_id, m.id, 'monitor.down', 'down', 'down', c.tick,
           jsonb_build_object('error', ${STILL_DOWN_ERROR}::text, 'maintenance_window_id', c.window_id)
    FROM unnest(${due.map(() => newId("event"))}::text[], ${due.map((c) => c.monitorId)}::text[],
                ${due.map((c) => c.at)}::timestamptz[], ${due.map((c) => c.windowId)}::text[])
      AS c(id, monitor_id, tick, window_id)
    JOIN monitors m ON m.id = c.monitor_id
    WHERE m.status = 'down' AND NOT m.paused AND m.deleted_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM monitor_events e WHERE e.monitor_id = m.id AND e.tick > c.tick)
      AND NOT EXISTS (
        SELECT 1 FROM incidents i
        WHERE i.monitor_id = m.id
          AND (i.resolved_at IS NULL OR i.started_at >= (
            SELECT max(e.tick) FROM monitor_events e WHERE e.monitor_id = m.id AND e.type = 'monitor.down')))
    ORDER BY m.id
    FOR UPDATE OF m
    ON CONFLICT DO NOTHING`;
}
