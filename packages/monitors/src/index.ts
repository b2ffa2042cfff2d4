export { SCHEDULED_TYPES, toCheckSpec } from "./check-spec.ts";
export { monitorCredentials } from "./credentials.ts";
export { freezeHeldChecks, heldChecks } from "./held-checks.ts";
export {
  type CheckFilters,
  checksCursor,
  listChecks,
  listPings,
  presentCheck,
  UPTIME_PERIODS,
  type UptimePeriod,
  uptimeReport,
} from "./history.ts";
export { MONITOR_TYPES, type MonitorTypeName, TYPE_DEFAULTS } from "./input.ts";
export { type PresentedMonitor, presentMonitor } from "./present.ts";
export { firstDue, isScheduled, ScheduleSync, toScheduleEntry } from "./schedule-sync.ts";
export { CreateMonitorBody, type MonitorInput, type MonitorPatch, PatchMonitorBody } from "./schemas.ts";
export {
  createMonitor,
  deleteMonitor,
  getMonitor,
  listMonitors,
  type MonitorDeps,
  type MonitorFilters,
  pauseMonitor,
  resumeMonitor,
  type Tenant,
  updateMonitor,
} from "./service.ts";
export { readSettings } from "./settings.ts";
export { SLA_PERIODS, type SlaPeriod, type SlaRow, slaReport } from "./sla.ts";
export { monitorTarget } from "./target.ts";
export { internalTargetProblems } from "./targets.ts";
