export { downAfterMaintenance, downAfterWindowChange, STILL_DOWN_ERROR } from "./after-maintenance.ts";
export { claimMonitorEventIds, type EventMarker } from "./event-queue.ts";
export { describeCause, type EventsReport, processMonitorEvents, RECOVERED_MESSAGE } from "./from-monitor-events.ts";
export { INCIDENT_EVENTS, type IncidentEventType, SYSTEM_ACTOR } from "./outbox.ts";
export {
  INCIDENT_STATUSES,
  type IncidentStatusName,
  OPEN_STATUSES,
  type PresentedIncident,
  presentIncident,
  presentIncidentState,
} from "./present.ts";
export {
  type Actor,
  createIncident,
  getIncident,
  type IncidentFilters,
  listIncidents,
  type NewIncident,
  type Tenant,
} from "./service.ts";
export {
  acknowledgeIncident,
  addIncidentUpdate,
  type IncidentPatch,
  MONITOR_DELETED_MESSAGE,
  patchIncident,
  resolveForDeletedMonitor,
  resolveIncident,
} from "./transitions.ts";
