/**
 * Queue names. BullMQ forbids ':' in names and job ids (it is its key separator), so the regional
 * queue the architecture calls `checks:<region>` is `checks-<region>` here.
 */
export const checksQueueName = (region: string) => `checks-${region}`;
export const RESULTS_QUEUE = "results";
export const NOTIFICATIONS_QUEUE = "notifications";
export const ESCALATIONS_QUEUE = "escalations";
export const EXPORTS_QUEUE = "exports";

/** Every BullMQ key lives under `<REDIS_PREFIX>:bull:`, next to our own `<REDIS_PREFIX>:…` keys. */
export const bullPrefix = (redisPrefix: string) => `${redisPrefix}:bull`;

/** One id per (monitor, region, tick): enqueueing or publishing twice is absorbed by BullMQ. */
export function tickJobId(monitorId: string, region: string, tick: number): string {
  return `${monitorId}@${region}@${tick}`;
}

/** One id per delivery attempt: the sweeper re-adding an attempt that is still queued is a no-op. */
export function deliveryJobId(notificationId: string, attempt: number): string {
  return `${notificationId}@${attempt}`;
}

/** One id per escalation step of an incident: re-created after a Redis flush, never doubled. */
export function escalationJobId(incidentId: string, policyId: string, step: number): string {
  return `${incidentId}@${policyId}@${step}`;
}

/** An export's job id is the export id: enqueueing it again while it is queued or running is a no-op. */
export function exportJobId(exportId: string): string {
  return exportId;
}
