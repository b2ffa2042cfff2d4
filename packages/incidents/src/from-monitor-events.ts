import type { Db, MonitorEvent, Prisma } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import { inMaintenance } from "@upfleet/maintenance";
import { claimMonitorEventIds } from "./event-queue.ts";
import { outboxRow, SYSTEM_ACTOR } from "./outbox.ts";
import { WITH_UPDATES } from "./present.ts";
import { resolution } from "./transitions.ts";

type Tx = Prisma.TransactionClient;
type Event = MonitorEvent & { monitor: { name: string; paused: boolean; deletedAt: Date | null } };

export interface EventsReport {
  /** Events consumed (marked processed), whether or not they changed an incident. */
  processed: number;
  opened: number;
  resolved: number;
}

export const RECOVERED_MESSAGE = "Recovered";
const TITLE_MAX = 200;

/** What the first timeline entry says: the failing checks' error, status and regions. */
export function describeCause(cause: unknown): string {
  const c: Record<string, unknown> = cause !== null && typeof cause === "object" ? { ...cause } : {};
  const parts = [
    typeof c.error === "string" ? c.error : null,
    typeof c.http_status === "number" ? `HTTP ${c.http_status}` : null,
    typeof c.message === "string" ? c.message : null,
  ].filter(Boolean);
  const regions = Array.isArray(c.failing_regions) && c.failing_regions.length ? c.failing_regions.join(", ") : null;
  return `Down${parts.length ? `: ${parts.join(", ")}` : ""}${regions ? ` (failing in ${regions})` : ""}`.slice(
    0,
    10_000,
  );
}

/** The next events to apply, locked (see claimMonitorEventIds), with their monitor. */
async function claim(tx: Tx, limit: number): Promise<Event[]> {
  const ids = await claimMonitorEventIds(tx, "processed_at", limit);
  if (ids.length === 0) return [];
  return tx.monitorEvent.findMany({
    where: { id: { in: ids } },
    include: { monitor: { select: { name: true, paused: true, deletedAt: true } } },
    orderBy: [{ tick: "asc" }, { id: "asc" }],
  });
}

/**
 * monitor.down opens one incident for the monitor, unless one is open (the unique open_monitor_id
 * skips the insert) or this event already opened one (unique source_event_id). Paused and deleted
 * monitors open nothing, nor does a monitor in maintenance at the event's tick: if it is still down
 * when the window ends, the alerter writes a monitor.down then (downAfterMaintenance).
 */
async function open(tx: Tx, events: Event[]): Promise<number> {
  const read = events.filter((e) => e.type === "monitor.down" && !e.monitor.paused && !e.monitor.deletedAt);
  if (read.length === 0) return 0;
  // Read again, share-locked: a monitor deleted meanwhile (whose delete resolves its open incidents
  // while it holds the row) gets none opened after it, and a delete waits for an incident opened first.
  const live = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM monitors
    WHERE id = ANY (${[...new Set(read.map((e) => e.monitorId))]}::text[]) AND deleted_at IS NULL AND NOT paused
    ORDER BY id FOR SHARE`;
  const liveIds = new Set(live.map((m) => m.id));
  const candidates = read.filter((e) => liveIds.has(e.monitorId));
  if (candidates.length === 0) return 0;
  const held = await inMaintenance(
    tx,
    candidates.map((e) => ({ monitorId: e.monitorId, at: e.tick })),
  );
  const downs = candidates.filter((_, i) => !held[i]);
  if (downs.length === 0) return 0;
  const created = await tx.incident.createManyAndReturn({
    data: downs.map((e) => ({
      id: newId("incident"),
      organizationId: e.organizationId,
      monitorId: e.monitorId,
      openMonitorId: e.monitorId,
      sourceEventId: e.id,
      title: `${e.monitor.name} is down`.slice(0, TITLE_MAX),
      status: "investigating" as const,
      cause: e.cause as Prisma.InputJsonValue,
      startedAt: e.tick,
    })),
    skipDuplicates: true,
    select: { id: true, sourceEventId: true },
  });
  if (created.length === 0) return 0;
  const byEvent = new Map(downs.map((e) => [e.id, e]));
  await tx.incidentUpdate.createMany({
    data: created.map((incident) => {
      const event = byEvent.get(incident.sourceEventId!)!;
      return {
        id: newId("incidentUpdate"),
        incidentId: incident.id,
        status: "investigating" as const,
        message: describeCause(event.cause),
        createdAt: event.tick,
      };
    }),
  });
  const incidents = await tx.incident.findMany({
    where: { id: { in: created.map((c) => c.id) } },
    include: WITH_UPDATES,
  });
  await tx.incidentEvent.createMany({
    data: incidents.map((incident) => outboxRow("incident.created", incident, SYSTEM_ACTOR, incident.updates[0])),
  });
  return incidents.length;
}

/**
 * monitor.up resolves the incident its outage opened, acknowledging it for whoever had not, with a
 * "Recovered" entry. Incidents opened by hand are left to people. Applies to paused and deleted
 * monitors too: skipping it would leave their incident open with nothing left to close it.
 */
async function resolve(tx: Tx, event: Event): Promise<boolean> {
  // Locked as the API's transitions lock it; re-checked after the wait, so one a user resolved
  // meanwhile no longer matches.
  const [open] = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM incidents
    WHERE open_monitor_id = ${event.monitorId} AND source_event_id IS NOT NULL
    FOR UPDATE`;
  if (!open) return false;
  const incident = await tx.incident.findUniqueOrThrow({ where: { id: open.id }, include: WITH_UPDATES });
  const entry = await tx.incidentUpdate.create({
    data: {
      id: newId("incidentUpdate"),
      incidentId: incident.id,
      status: "resolved",
      message: RECOVERED_MESSAGE,
      createdAt: event.tick,
    },
  });
  const saved = await tx.incident.update({
    where: { id: incident.id },
    data: resolution(incident, SYSTEM_ACTOR, event.tick),
    include: WITH_UPDATES,
  });
  await tx.incidentEvent.create({ data: outboxRow("incident.resolved", saved, SYSTEM_ACTOR, entry) });
  return true;
}

/**
 * Consumes one batch of monitor state changes: opens and resolves incidents and marks the events
 * processed, in one transaction, so a crash leaves the batch for the next attempt and a committed
 * batch is never applied again. monitor.degraded and ssl.expiring open nothing (the latter only
 * notifies, once marked processed here).
 */
export async function processMonitorEvents(db: Db, limit = 100): Promise<EventsReport> {
  return db.$transaction(
    async (tx) => {
      const events = await claim(tx, limit);
      if (events.length === 0) return { processed: 0, opened: 0, resolved: 0 };
      const opened = await open(tx, events);
      let resolved = 0;
      for (const event of events) if (event.type === "monitor.up" && (await resolve(tx, event))) resolved++;
      await tx.monitorEvent.updateMany({
        where: { id: { in: events.map((e) => e.id) } },
        data: { processedAt: new Date() },
      });
      return { processed: events.length, opened, resolved };
    },
    // A burst (hundreds of monitors failing together) must not hit Prisma's 5 s default, be rolled
    // back, and come back as the same batch.
    { timeout: 60_000 },
  );
}
