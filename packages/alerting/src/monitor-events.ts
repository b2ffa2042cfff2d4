import type { Db, Prisma } from "@upfleet/db";
import { claimMonitorEventIds } from "@upfleet/incidents";
import { inMaintenance } from "@upfleet/maintenance";
import { insertNotifications, toChannels } from "./notifications.ts";
import { incidentAt, monitorEventPayload } from "./payload.ts";
import { channelsFor, isStale } from "./routing.ts";
import { loadRouting } from "./routing-data.ts";

type Tx = Prisma.TransactionClient;

export interface FanOutReport {
  /** Events consumed (marked), whether or not a rule took them. */
  processed: number;
  /** Notifications created by this pass: the caller queues their first attempt after commit. */
  notificationIds: string[];
}

/**
 * The next state changes to notify, locked: only those the incident consumer has applied (so a
 * monitor.down knows its incident), and per monitor only the oldest not notified yet, so one
 * monitor's notifications are created in order however many alerters run (SKIP LOCKED splits them).
 */
async function claim(tx: Tx, limit: number) {
  const ids = await claimMonitorEventIds(tx, "notified_at", limit, "processed_at");
  if (ids.length === 0) return [];
  return tx.monitorEvent.findMany({
    where: { id: { in: ids } },
    include: {
      monitor: {
        select: { id: true, name: true, type: true, settings: true, tags: true, paused: true, deletedAt: true },
      },
    },
    orderBy: [{ tick: "asc" }, { id: "asc" }],
  });
}

/** The incidents the batch's changes may belong to: those of its monitors open at some point in its span. */
function incidentsAround(tx: Tx, events: { monitorId: string; tick: Date }[]) {
  const ticks = events.map((e) => e.tick.getTime());
  return tx.incident.findMany({
    where: {
      monitorId: { in: [...new Set(events.map((e) => e.monitorId))] },
      startedAt: { lte: new Date(Math.max(...ticks)) },
      OR: [{ resolvedAt: null }, { resolvedAt: { gte: new Date(Math.min(...ticks)) } }],
    },
    select: { id: true, monitorId: true, status: true, sourceEventId: true, startedAt: true, resolvedAt: true },
  });
}

/**
 * Turns one batch of monitor state changes into notifications, one per event × matching channel,
 * and marks the events notified in the same transaction: a crash before the commit replays the
 * batch, and the dedupe keys keep the replay from creating anything twice. Paused and deleted
 * monitors, stale changes, and changes at a tick in a maintenance window of their monitor notify
 * nothing (ssl.expiring excepted: a warning sent once, not an outage).
 */
export async function fanOutMonitorEvents(db: Db, limit = 100, now = new Date()): Promise<FanOutReport> {
  return db.$transaction(
    async (tx) => {
      const events = await claim(tx, limit);
      if (events.length === 0) return { processed: 0, notificationIds: [] };
      const held = await inMaintenance(
        tx,
        events.map((e) => ({ monitorId: e.monitorId, at: e.tick })),
      );
      // A certificate about to expire is no outage to silence: planned work on the service does not
      // make the warning less true, and it is sent once per threshold (ingest), so held it would be lost.
      const live = events.filter(
        (e, i) =>
          !e.monitor.paused && !e.monitor.deletedAt && !isStale(e.tick, now) && (!held[i] || e.type === "ssl.expiring"),
      );
      const routing = await loadRouting(
        tx,
        live.map((e) => e.organizationId),
      );
      const routed = live
        .map((event) => ({
          event,
          channels: channelsFor(
            routing.rules(event.organizationId),
            { type: event.type, monitorId: event.monitorId, tags: event.monitor.tags },
            routing.usable(event.organizationId),
          ),
        }))
        .filter((r) => r.channels.length > 0);
      const incidents = routed.length
        ? await incidentsAround(
            tx,
            routed.map((r) => r.event),
          )
        : [];
      const notificationIds = await insertNotifications(
        tx,
        routed.flatMap(({ event, channels }) => {
          const incident = incidentAt(incidents, event);
          return toChannels(event.id, channels, {
            organizationId: event.organizationId,
            incidentId: incident?.id ?? null,
            monitorId: event.monitorId,
            payload: monitorEventPayload(event, event.monitor, incident),
          });
        }),
      );
      await tx.monitorEvent.updateMany({
        where: { id: { in: events.map((e) => e.id) } },
        data: { notifiedAt: now },
      });
      return { processed: events.length, notificationIds };
    },
    // A burst (hundreds of monitors down at once) must not hit Prisma's 5 s default and replay.
    { timeout: 60_000 },
  );
}
