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
export { type PresentedWindow, presentWindow } from "./present.ts";
export { CreateWindowBody, PatchWindowBody, REPEATS } from "./schemas.ts";
export {
  createWindow,
  deleteWindow,
  getWindow,
  listWindows,
  type Tenant,
  updateWindow,
  type WindowFilters,
} from "./service.ts";
