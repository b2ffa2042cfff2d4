export {
  type EscalationState,
  type EscalationStep,
  parseSteps,
  stepDueAt,
  stepsToFire,
  stepsToSchedule,
} from "./escalation-plan.ts";
export { openEscalationQueue, scheduleEscalationSteps } from "./escalation-queue.ts";
export {
  type Escalation,
  runEscalationStep,
  runningEscalations,
  type StepReport,
  startEscalations,
  stopEscalations,
} from "./escalations.ts";
export { type AlertingQueues, fanOutOnce, type PassReport, queueNotifications } from "./fan-out.ts";
export { fanOutIncidentEvents, type IncidentFanOutReport } from "./incident-events.ts";
export { type FanOutReport, fanOutMonitorEvents } from "./monitor-events.ts";
export { monitorSummary, type NotificationPayload } from "./payload.ts";
export { channelsFor, policiesFor } from "./routing.ts";
