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
