export { enqueueDelivery, openDeliveryQueue } from "./enqueue.ts";
export { deliveryEnv } from "./env.ts";
export { DEFAULT_RETRY_DELAYS, parseRetryDelays } from "./retry-schedule.ts";
