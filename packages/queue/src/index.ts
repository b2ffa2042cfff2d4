export { closeWorker } from "./close-worker.ts";
export {
  FleetRegistry,
  type QueueStats,
  type RegionInfo,
  regionOverview,
  WORKER_TTL_MS,
  type WorkerInfo,
} from "./fleet.ts";
export {
  CHECK_WORKER_LOCK_MS,
  CheckJob,
  DeliveryJob,
  EscalationJob,
  ExportJob,
  JOBS,
  RETRY,
  ResultJob,
} from "./jobs.ts";
export { LeaderLock } from "./leader-lock.ts";
export {
  bullPrefix,
  checksQueueName,
  deliveryJobId,
  ESCALATIONS_QUEUE,
  EXPORTS_QUEUE,
  escalationJobId,
  exportJobId,
  NOTIFICATIONS_QUEUE,
  RESULTS_QUEUE,
  tickJobId,
} from "./names.ts";
export { type DueEntry, type ScheduleEntry, ScheduleStore } from "./schedule-store.ts";
