export {
  type HeartbeatSchedule,
  missedAt,
  nextExpectedAt,
  type ScheduledMonitor,
  scheduleOf,
  zoneOffsetMinutes,
} from "./schedule.ts";
export {
  applyExpiry,
  applyPing,
  deadlineFor,
  deadlineOnResume,
  type HeartbeatState,
  type OpenRun,
  type PingKind,
  type PingOutcome,
  type PingSignal,
  type StateChange,
} from "./transitions.ts";
