import type { Db } from "@upfleet/db";
import type { Logger } from "@upfleet/logger";
import type { JobQueue } from "@upfleet/queue";
import { scheduleEscalationSteps } from "./escalation-queue.ts";
import { fanOutIncidentEvents } from "./incident-events.ts";
import { fanOutMonitorEvents } from "./monitor-events.ts";

export interface AlertingQueues {
  deliveries: JobQueue<"delivery">;
  escalations: JobQueue<"escalation">;
}

export interface PassReport {
  /** Events consumed, monitor state changes and incident events together. */
  processed: number;
  notifications: number;
  escalations: number;
}

/** Queues the first attempt of each new notification, all in one round trip. */
export async function queueNotifications(queue: JobQueue<"delivery">, ids: readonly string[]): Promise<void> {
  await queue.addBulk(ids.map((notificationId) => ({ payload: { notificationId, attempt: 1 } })));
}

/**
 * One batch of each event source: creates the notifications (committed with the events' marks),
 * then queues their first attempts and the started escalations' later steps. If queueing fails
 * after the commit, nothing is lost: the delivery sweeper re-queues pending notifications and the
 * escalation sweeper re-adds the steps of running escalations.
 */
export async function fanOutOnce(db: Db, queues: AlertingQueues, logger: Logger, limit = 100): Promise<PassReport> {
  const monitors = await fanOutMonitorEvents(db, limit);
  const incidents = await fanOutIncidentEvents(db, limit);
  const ids = [...monitors.notificationIds, ...incidents.notificationIds];
  try {
    await queueNotifications(queues.deliveries, ids);
    await scheduleEscalationSteps(queues.escalations, incidents.escalations);
  } catch (error) {
    logger.warn({ err: error, notifications: ids.length }, "notifications stored but not queued; the sweepers will");
  }
  return {
    processed: monitors.processed + incidents.processed,
    notifications: ids.length,
    escalations: incidents.escalations.length,
  };
}
