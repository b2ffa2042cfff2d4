export { listDeliveries, sendTestDelivery } from "./deliveries.ts";
export { deliveryEnv } from "./env.ts";
export { createSenders, type Senders, sendersFromEnv } from "./senders.ts";
export { DeliverySweeper } from "./sweeper.ts";
export { startDeliveryWorker } from "./worker.ts";
