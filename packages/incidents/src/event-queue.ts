import { Prisma } from "@upfleet/db";

/** The columns by which a consumer marks the monitor_events it has applied. */
export type EventMarker = "processed_at" | "notified_at";

/**
 * Locks the next monitor_events that `marker`'s consumer has not applied (and, with `after`, that
 * the consumer before it has). Only each monitor's oldest unapplied event qualifies, so however many
 * alerters consume, one monitor's events are applied one at a time and in order (a recovery never
 * before the outage it ends); SKIP LOCKED lets each alerter take different monitors.
 */
export async function claimMonitorEventIds(
  tx: Prisma.TransactionClient,
  marker: EventMarker,
  limit: number,
  after?: EventMarker,
): Promise<string[]> {
  // Identifiers from the closed EventMarker union only, never from input.
  const pending = Prisma.raw(marker);
  const ready = after ? Prisma.sql`AND e.${Prisma.raw(after)} IS NOT NULL` : Prisma.empty;
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT e.id FROM monitor_events e
    WHERE e.${pending} IS NULL ${ready}
      AND NOT EXISTS (
        SELECT 1 FROM monitor_events p
        WHERE p.monitor_id = e.monitor_id AND p.${pending} IS NULL AND (p.tick, p.id) < (e.tick, e.id))
    ORDER BY e.tick, e.id
    LIMIT ${limit}
    FOR UPDATE OF e SKIP LOCKED`;
  return rows.map((r) => r.id);
}
