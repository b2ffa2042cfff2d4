export { type CompletedExportFields, notifyExportCompleted } from "./export-events.ts";
export { queueNotifications } from "./fan-out.ts";
export { IncidentOpener } from "./incident-opener.ts";
export { type AlertingDeps, type RunningAlerting, startAlerting } from "./pipeline.ts";
