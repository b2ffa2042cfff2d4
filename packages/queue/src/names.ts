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
