export * from "./active.ts";
export {
  type Interval,
  maxDurationMs,
  mergeIntervals,
  occurrenceAt,
  occurrencesBetween,
  type Repeat,
  type WindowTimes,
} from "./occurrences.ts";
export { CreateWindowBody, MonitorId, PatchWindowBody, REPEATS } from "./schemas.ts";
export { createWindow, deleteWindow, getWindow, listWindows, updateWindow } from "./service.ts";
