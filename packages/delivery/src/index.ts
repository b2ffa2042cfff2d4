export { type AttemptDeps, type AttemptOutcome, runAttempt } from "./attempt.ts";
export { type AttemptStore, createAttemptStore, STALE_ATTEMPT_MS } from "./attempt-store.ts";
export {
  type DeliveryFilters,
  listDeliveries,
  type PresentedDelivery,
  presentDelivery,
  sendTestDelivery,
  TEST_EVENT,
  testPayload,
} from "./deliveries.ts";
export { enqueueDeliveries, enqueueDelivery, openDeliveryQueue } from "./enqueue.ts";
export { deliveryEnv } from "./env.ts";
export { SEND_TIMEOUT_MS } from "./http.ts";
export { DEFAULT_RETRY_DELAYS, parseRetryDelays } from "./retry-schedule.ts";
export { createSenders, type OutgoingNotification, type Senders, type SendersOptions } from "./senders.ts";
export { bodySignature, standardSignature, WEBHOOK_USER_AGENT } from "./signature.ts";
export { DeliverySweeper, sweepPendingNotifications } from "./sweeper.ts";
export { type DeliveryWorkerOptions, startDeliveryWorker } from "./worker.ts";
