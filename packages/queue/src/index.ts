export {
  type JobHandler,
  type JobInput,
  JobQueue,
  type JobWorker,
  openQueue,
  type QueueLocation,
  type WorkOptions,
  work,
} from "./catalog.ts";
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
  type JobKind,
  type JobPayload,
  RETRY,
  ResultJob,
} from "./jobs.ts";
export { LeaderLock } from "./leader-lock.ts";
export {
  bullPrefix,
  checksQueueName,
  ESCALATIONS_QUEUE,
  EXPORTS_QUEUE,
  NOTIFICATIONS_QUEUE,
  RESULTS_QUEUE,
} from "./names.ts";
export { type Outbox, OutboxSweeper, type OutboxSweeperOptions, sweepOutbox } from "./outbox-sweeper.ts";
export { type DueEntry, type ScheduleEntry, ScheduleStore } from "./schedule-store.ts";
