export { enqueueDelivery, openDeliveryQueue } from "./enqueue.ts";
