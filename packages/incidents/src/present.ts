import type { Incident, IncidentUpdate, Prisma } from "@upfleet/db";

export const INCIDENT_STATUSES = ["investigating", "identified", "monitoring", "resolved"] as const;
export type IncidentStatusName = (typeof INCIDENT_STATUSES)[number];
/** What an incident may be opened with: resolving is its own transition. */
export const OPEN_STATUSES = ["investigating", "identified", "monitoring"] as const;

/** Updates oldest first; ids break ties between updates written in the same millisecond. */
export const WITH_UPDATES = {
  updates: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
} as const satisfies Prisma.IncidentInclude;

export type IncidentWithUpdates = Incident & { updates: IncidentUpdate[] };

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function presentUpdate(update: IncidentUpdate) {
  return {
    id: update.id,
    status: update.status,
    message: update.message,
    created_at: update.createdAt.toISOString(),
  };
}

/** The incident without its timeline: what an incident.* event carries. */
export function presentIncidentState(incident: Incident) {
  return {
    id: incident.id,
    monitor_id: incident.monitorId,
    title: incident.title,
    status: incident.status,
    cause: incident.cause ?? null,
    started_at: incident.startedAt.toISOString(),
    acknowledged_at: iso(incident.acknowledgedAt),
    acknowledged_by: incident.acknowledgedBy,
    resolved_at: iso(incident.resolvedAt),
  };
}

/** The API's incident object (API.md "Incidents"). */
export function presentIncident(incident: IncidentWithUpdates) {
  return { ...presentIncidentState(incident), updates: incident.updates.map(presentUpdate) };
}

export type PresentedIncident = ReturnType<typeof presentIncident>;
