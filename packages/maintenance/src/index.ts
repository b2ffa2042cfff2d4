export * from "./active.ts";
export type { Interval } from "./occurrences.ts";
export { CreateWindowBody, MonitorId, PatchWindowBody, REPEATS } from "./schemas.ts";
export { createWindow, deleteWindow, getWindow, listWindows, updateWindow } from "./service.ts";
