import type { Db, Prisma } from "@upfleet/db";
import { inMaintenance } from "@upfleet/maintenance";
import { type Escalation, startEscalations, stopEscalations } from "./escalations.ts";
import type { FanOutReport } from "./monitor-events.ts";
import { insertNotifications, type NewNotification, toChannels } from "./notifications.ts";
import { incidentEventPayload } from "./payload.ts";
import { channelsFor, isStale, policiesFor } from "./routing.ts";
import { loadRouting } from "./routing-data.ts";

type Tx = Prisma.TransactionClient;

export interface IncidentFanOutReport extends FanOutReport {
  /** Escalations started by this pass: the caller adds their later steps' jobs after commit. */
  escalations: Escalation[];
}

const STOPPING = new Set(["incident.acknowledged", "incident.resolved"]);

/** The next incident_events to route, locked; per incident only the oldest unprocessed one. */
async function claim(tx: Tx, limit: number) {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT e.id FROM incident_events e
    WHERE e.processed_at IS NULL
      AND NOT EXISTS (
        SELECT 1 FROM incident_events p
        WHERE p.incident_id = e.incident_id AND p.processed_at IS NULL AND p.id < e.id)
    ORDER BY e.id
    LIMIT ${limit}
    FOR UPDATE OF e SKIP LOCKED`;
  if (rows.length === 0) return [];
  return tx.incidentEvent.findMany({
    where: { id: { in: rows.map((r) => r.id) } },
    include: {
      incident: {
        select: {
          id: true,
          organizationId: true,
          startedAt: true,
          monitor: {
            select: { id: true, name: true, type: true, settings: true, tags: true, escalationPolicyId: true },
          },
        },
      },
    },
    orderBy: { id: "asc" },
  });
}

/**
 * Routes one batch of the incidents outbox: notifications per event × matching channel, escalations
 * started by an opening and stopped by an acknowledgement or resolution, and the events marked
 * processed, all in one transaction (a crash replays the batch; dedupe keys and the escalation key
 * absorb the replay). An event made while the incident's monitor is in maintenance notifies
 * nobody; an opening still starts its escalations, whose steps wait for the window's end.
 */
export async function fanOutIncidentEvents(db: Db, limit = 100, now = new Date()): Promise<IncidentFanOutReport> {
  return db.$transaction(
    async (tx) => {
      const events = await claim(tx, limit);
      if (events.length === 0) return { processed: 0, notificationIds: [], escalations: [] };
      const routing = await loadRouting(
        tx,
        events.map((e) => e.organizationId),
      );
      const ofMonitors = events.filter((e) => e.incident.monitor);
      const held = await inMaintenance(
        tx,
        ofMonitors.map((e) => ({ monitorId: e.incident.monitor!.id, at: e.createdAt })),
      );
      const inWindow = new Set(ofMonitors.filter((_, i) => held[i]));
      const rows: NewNotification[] = [];
      const notificationIds: string[] = [];
      const escalations: Escalation[] = [];
      for (const event of events) {
        const { incident } = event;
        if (STOPPING.has(event.type)) await stopEscalations(tx, [incident.id], now);
        if (isStale(event.createdAt, now)) continue;
        const monitor = incident.monitor;
        const subject = { monitorId: monitor?.id ?? null, tags: monitor?.tags ?? [] };
        const rules = routing.rules(event.organizationId);
        const channels = inWindow.has(event)
          ? []
          : channelsFor(rules, { ...subject, type: event.type }, routing.usable(event.organizationId));
        rows.push(
          ...toChannels(event.id, channels, {
            organizationId: event.organizationId,
            incidentId: incident.id,
            monitorId: monitor?.id ?? null,
            payload: incidentEventPayload(event.type, event.payload, monitor, event.createdAt),
          }),
        );
        if (event.type === "incident.created") {
          const started = await startEscalations(
            tx,
            incident,
            policiesFor(rules, subject, monitor?.escalationPolicyId ?? null),
            now,
          );
          notificationIds.push(...started.notificationIds);
          escalations.push(...started.escalations);
        }
      }
      notificationIds.push(...(await insertNotifications(tx, rows)));
      await tx.incidentEvent.updateMany({
        where: { id: { in: events.map((e) => e.id) } },
        data: { processedAt: now },
      });
      return { processed: events.length, notificationIds, escalations: escalations.filter((e) => !e.stoppedAt) };
    },
    { timeout: 60_000 },
  );
}
