/**
 * Queue names. BullMQ forbids ':' in names and job ids (it is its key separator), so the regional
 * queue the architecture calls `checks:<region>` is `checks-<region>` here.
 */
export const checksQueueName = (region: string) => `checks-${region}`;
export const RESULTS_QUEUE = "results";

/** Every BullMQ key lives under `<REDIS_PREFIX>:bull:`, next to our own `<REDIS_PREFIX>:…` keys. */
export const bullPrefix = (redisPrefix: string) => `${redisPrefix}:bull`;

/** One id per (monitor, region, tick): enqueueing or publishing twice is absorbed by BullMQ. */
export function tickJobId(monitorId: string, region: string, tick: number): string {
  return `${monitorId}@${region}@${tick}`;
}
