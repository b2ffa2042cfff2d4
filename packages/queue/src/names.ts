import type { CheckLane } from "./lanes.ts";

/** BullMQ queue names (BullMQ forbids ':' in names and job ids: it is its key separator). */
export const NOTIFICATIONS_QUEUE = "notifications";
export const ESCALATIONS_QUEUE = "escalations";
export const EXPORTS_QUEUE = "exports";

/** Every BullMQ key lives under `<REDIS_PREFIX>:bull:`, next to our own `<REDIS_PREFIX>:…` keys. */
export const bullPrefix = (redisPrefix: string) => `${redisPrefix}:bull`;

/**
 * Each region's checks travel on a Redis Stream of the region's own (docs/adr/0014): the dispatcher
 * adds, the region's workers read as one consumer group. Under the deployment prefix, like the results.
 * Ping checks have a stream of their own, `<prefix>:checks:<region>:icmp` (lanes.ts); region names hold no ':'.
 */
export const checksStreamKey = (redisPrefix: string, region: string, lane: CheckLane = "general") =>
  `${redisPrefix}:checks:${region}${lane === "icmp" ? ":icmp" : ""}`;
/** The workers' consumer group on their region's checks stream. */
export const CHECKS_GROUP = "workers";

/**
 * Each region's workers publish their results to a Redis Stream of the region's own (docs/adr/0012),
 * under the deployment prefix so a hash-tagged prefix keeps every stream in one Redis Cluster slot.
 */
export const resultsStreamKey = (redisPrefix: string, region: string) => `${redisPrefix}:results:${region}`;
/** The alerters' consumer group on every results stream. */
export const RESULTS_GROUP = "alerters";
/** The regions whose results streams the alerters read (written by alerters only, read at start). */
export const resultsRegionsKey = (redisPrefix: string) => `${redisPrefix}:results-regions`;
