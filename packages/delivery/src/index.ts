export { listDeliveries, sendTestDelivery } from "./deliveries.ts";
export { enqueueDeliveries, enqueueDelivery, openDeliveryQueue } from "./enqueue.ts";
export { deliveryEnv } from "./env.ts";
export { createSenders, type Senders } from "./senders.ts";
export { DeliverySweeper } from "./sweeper.ts";
export { startDeliveryWorker } from "./worker.ts";
