export {
  coveredMs,
  downSpans,
  type SlaFigures,
  type Span,
  type StatusChange,
  slaFigures,
  subtractSpans,
} from "./downtime.ts";
export { nextTickAfter, tickAtOrBefore, tickOffsetMs } from "./schedule.ts";
export {
  applyRound,
  type CheckOutcome,
  INITIAL_STATE,
  type MonitorState,
  type MonitorStatus,
  roundOutcome,
  type StateEvent,
  type Thresholds,
  type Transition,
} from "./state-machine.ts";
export {
  bucketIndex,
  emptyHistogram,
  HISTOGRAM_SIZE,
  mergeHistograms,
  outsideMaintenance,
  quantileFromHistogram,
  RESPONSE_BUCKETS_MS,
  type UptimeCounts,
  uptimePercent,
} from "./uptime.ts";
