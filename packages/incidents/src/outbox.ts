import type { IncidentUpdate, Prisma } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import { type IncidentWithUpdates, presentIncidentState, presentUpdate } from "./present.ts";

export const INCIDENT_EVENTS = [
  "incident.created",
  "incident.updated",
  "incident.acknowledged",
  "incident.resolved",
] as const;
export type IncidentEventType = (typeof INCIDENT_EVENTS)[number];

/** Who made a change: a user id, or "system" for changes that follow the monitor's state. */
export const SYSTEM_ACTOR = "system";

/**
 * One row of the incident_events outbox, written in the transaction of the change it describes,
 * so a change is never committed without its event nor an event sent for a change rolled back.
 * The payload is the incident as it became, and the timeline entry the change added (if any).
 */
export function outboxRow(
  type: IncidentEventType,
  incident: IncidentWithUpdates,
  actor: string,
  update?: IncidentUpdate,
): Prisma.IncidentEventCreateManyInput {
  return {
    id: newId("event"),
    organizationId: incident.organizationId,
    incidentId: incident.id,
    type,
    payload: {
      event: type,
      actor,
      incident: presentIncidentState(incident),
      update: update ? presentUpdate(update) : null,
    },
  };
}
