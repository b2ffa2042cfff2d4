/** The incidents pages' logic: the list's filters in the URL, and an incident's timeline. */
import type { components } from "../../api/client.ts";

type Incident = components["schemas"]["Incident"];

export const INCIDENT_STATUSES = ["investigating", "identified", "monitoring", "resolved"] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export interface IncidentFilters {
  /** Only incidents not resolved yet: what the list opens on. */
  open: boolean;
  status?: IncidentStatus;
}

/** `?all` shows resolved ones too; an unknown status is dropped, so a hand-edited URL never makes a 400. */
export function readIncidentFilters(params: URLSearchParams): IncidentFilters {
  const status = params.get("status");
  const filters: IncidentFilters = { open: !params.has("all") };
  if (INCIDENT_STATUSES.includes(status as IncidentStatus)) filters.status = status as IncidentStatus;
  return filters;
}

export function writeIncidentFilters(filters: IncidentFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (!filters.open) params.set("all", "");
  if (filters.status) params.set("status", filters.status);
  return params;
}

/** The API's query for the filters. */
export function incidentQuery(filters: IncidentFilters): { active?: "true"; status?: IncidentStatus } {
  return {
    ...(filters.open ? { active: "true" as const } : {}),
    ...(filters.status ? { status: filters.status } : {}),
  };
}

export interface TimelineEntry {
  key: string;
  at: string;
  title: string;
  status?: IncidentStatus;
  message?: string | null;
}

/**
 * Everything that happened to an incident, oldest first: its start, each posted update (the system's
 * and people's), the acknowledgement and the resolution. Entries at the same instant keep that order.
 */
export function timeline(incident: Incident): TimelineEntry[] {
  const entries: TimelineEntry[] = [{ key: "started", at: incident.started_at, title: "Started" }];
  for (const update of incident.updates) {
    entries.push({
      key: update.id,
      at: update.created_at,
      title: "Update",
      status: update.status,
      message: update.message,
    });
  }
  if (incident.acknowledged_at) {
    const by = incident.acknowledged_by ? ` by ${incident.acknowledged_by}` : "";
    entries.push({ key: "acknowledged", at: incident.acknowledged_at, title: `Acknowledged${by}` });
  }
  if (incident.resolved_at) entries.push({ key: "resolved", at: incident.resolved_at, title: "Resolved" });
  // A stable sort on the instant: ties keep the order above (start, updates, acknowledgement, resolution).
  return entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
