export {
  compactClosedPartitions,
  dropCheckPartitionsBefore,
  ensureCheckPartitions,
  listCheckPartitions,
} from "./partitions.ts";
export {
  checksRetainedFrom,
  type Retention,
  type RetentionEnv,
  type RetentionPolicy,
  retentionEnv,
  retentionPolicy,
} from "./policy.ts";
export { type RetentionReport, runRetention } from "./retention.ts";
