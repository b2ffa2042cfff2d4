export { escalationStepJobs, scheduleEscalationSteps } from "./escalation-queue.ts";
export { runEscalationStep, runningEscalations } from "./escalations.ts";
export { type CompletedExportFields, notifyExportCompleted } from "./export-events.ts";
export { type AlertingQueues, fanOutOnce, queueNotifications } from "./fan-out.ts";
