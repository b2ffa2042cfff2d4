export { decodePingBody, PING_BODY_LIMIT, type PingBody, readPingBody } from "./body.ts";
export { type ExpiryReport, expireDeadlines, nextDeadline, settleHeartbeat } from "./deadlines.ts";
export { type PingInput, PingRecorder, type RecorderOptions, type RecordResult } from "./recorder.ts";
export {
  type HeartbeatSchedule,
  isValidTimeZone,
  missedAt,
  nextExpectedAt,
  type ScheduledMonitor,
  scheduleOf,
} from "./schedule.ts";
export { HEARTBEAT_DEFAULTS, heartbeatSettingsFields } from "./settings.ts";
export { type PingTarget, TokenDirectory, type TokenDirectoryOptions } from "./tokens.ts";
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
