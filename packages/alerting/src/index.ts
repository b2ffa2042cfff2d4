export { type CompletedExportFields, notifyExportCompleted } from "./export-events.ts";
export { queueNotifications } from "./fan-out.ts";
export { IncidentOpener } from "./incident-opener.ts";
export { MaintenanceEndWatcher } from "./maintenance-ends.ts";
export { type AlertingDeps, type RunningAlerting, startAlerting } from "./pipeline.ts";
