export { bullPrefix, checksQueueName, RESULTS_QUEUE, tickJobId } from "./names.ts";
export { type DueEntry, type ScheduleEntry, ScheduleStore } from "./schedule-store.ts";
