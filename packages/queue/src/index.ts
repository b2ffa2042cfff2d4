export { aclRules, aclSetUser, deploymentRoles, type RedisRole, redisUserName } from "./acl.ts";
export {
  type JobHandler,
  type JobInput,
  JobQueue,
  type JobWorker,
  openQueue,
  work,
} from "./catalog.ts";
export { type CheckConsumerTimings, type CheckDelivery, CheckStreamConsumer, reclaimIdleMs } from "./check-consumer.ts";
export { type CheckBacklog, CheckStream, MAX_CHECKS_PER_ENTRY } from "./check-stream.ts";
export { type ProofMac, proveDispatch, REJECTIONS, type Rejection, rejectionOf } from "./dispatch-proof.ts";
export {
  FleetRegistry,
  type RegionInfo,
  regionDispatching,
  regionOverview,
  WORKER_TTL_MS,
  type WorkerInfo,
} from "./fleet.ts";
export { CheckJob, DeliveryJob, JOBS, ResultJob, roundId } from "./jobs.ts";
export { byLane, CHECK_LANES, type CheckLane, lanesOf } from "./lanes.ts";
export { LeaderLock } from "./leader-lock.ts";
export {
  bullPrefix,
  CHECKS_GROUP,
  checksStreamKey,
  ESCALATIONS_QUEUE,
  RESULTS_GROUP,
  resultsStreamKey,
} from "./names.ts";
export { OutboxSweeper, sweepOutbox } from "./outbox-sweeper.ts";
export { checkRedisTls, redisOptions, redisTlsEnv } from "./redis-tls.ts";
export { type ResultConsumerOptions, ResultStreamConsumer, type StreamedResult } from "./result-consumer.ts";
export { ResultPublisher } from "./result-publisher.ts";
export { type LagPercentiles, LagWindow } from "./schedule-lag.ts";
export { type DueEntry, type ScheduleEntry, ScheduleStore } from "./schedule-store.ts";
export { STALE_AFTER_INTERVALS, staleAt } from "./staleness.ts";
export { MinuteCounter } from "./throughput.ts";
