import { parseStored } from "@upfleet/errors";
import { monitorTarget } from "@upfleet/monitors";
import { z } from "zod";

/**
 * The JSON body every channel receives (API.md "Notifications"), rendered once when the
 * notification is created so that each attempt sends the same bytes.
 */

export interface MonitorSummary {
  id: string;
  name: string;
  url: string | null;
  type: string;
}

export interface StatusSummary {
  http_status: number | null;
  response_ms: number | null;
  error: string | null;
  region: string | null;
}

/** ssl.expiring only: the certificate the warning is about and the alert threshold it crossed. */
interface CertificateSummary {
  days_left: number | null;
  valid_to: string | null;
  threshold: number | null;
}

/**
 * export.completed only: what was exported. `download_url` is always null: a signed link is handed
 * out by GET /exports/:id to callers holding the export's read scopes, never to a channel.
 */
interface ExportSummary {
  id: string;
  type: string;
  format: string;
  row_count: number;
  size_bytes: number;
  download_url: null;
}

export interface NotificationPayload {
  event: string;
  monitor: MonitorSummary | null;
  /** The check behind the event; null for events about no check (export.completed). */
  status: StatusSummary | null;
  incident: ({ id: string; status: string } & Record<string, unknown>) | null;
  /** Escalation steps only: which policy, and which step (1 is the first). */
  escalation?: { policy_id: string; step: number };
  certificate?: CertificateSummary;
  export?: ExportSummary;
  timestamp: string;
}

export interface MonitorFields {
  id: string;
  name: string;
  type: string;
  settings: unknown;
}

/** What a person recognises the monitor by: its URL (credentials masked), or host[:port] for types without one. */
export function monitorSummary(monitor: MonitorFields): MonitorSummary {
  return { id: monitor.id, name: monitor.name, url: monitorTarget(monitor.type, monitor.settings), type: monitor.type };
}

/**
 * The fields of a stored cause (monitor_events.cause, an incident's cause) a payload shows: each
 * null when absent or not of its type, since causes are written by several versions of the alerter.
 */
const orNull = <T extends z.ZodType>(schema: T) => schema.nullable().catch(null);
const JsonObject = z.record(z.string(), z.unknown()).catch({});
const StatusCause = z.object({
  http_status: orNull(z.number()),
  response_ms: orNull(z.number()),
  error: orNull(z.string()),
  region: orNull(z.string()),
});
const CertificateCause = z.object({
  days_left: orNull(z.number()),
  valid_to: orNull(z.string()),
  threshold: orNull(z.number()),
});

/** The failing (or recovering) check a state change or incident recorded as its cause. */
export function statusFromCause(cause: unknown): StatusSummary {
  return StatusCause.parse(JsonObject.parse(cause));
}

/** The certificate an ssl.expiring event recorded as its cause (packages/ingest ssl-expiry.ts). */
function certificateFromCause(cause: unknown): CertificateSummary {
  return CertificateCause.parse(JsonObject.parse(cause));
}

export interface MonitorEventFields {
  id: string;
  type: string;
  tick: Date;
  cause: unknown;
}

/**
 * monitor.down / up / degraded, with the incident the change belongs to (if any); ssl.expiring also
 * says which certificate expires when, which `status` (a check's outcome) has no room for.
 */
export function monitorEventPayload(
  event: MonitorEventFields,
  monitor: MonitorFields,
  incident: { id: string; status: string } | null,
): NotificationPayload {
  return {
    event: event.type,
    monitor: monitorSummary(monitor),
    status: statusFromCause(event.cause),
    incident: incident ? { id: incident.id, status: incident.status } : null,
    ...(event.type === "ssl.expiring" ? { certificate: certificateFromCause(event.cause) } : {}),
    timestamp: event.tick.toISOString(),
  };
}

/** The incident part of an incident_events outbox payload (packages/incidents outboxRow). */
const OutboxPayload = z.object({
  incident: z.looseObject({ id: z.string(), status: z.string(), cause: z.unknown().optional() }),
  update: z.unknown().optional(),
  actor: z.unknown().optional(),
});

/** incident.*: the incident as the change left it, its new timeline entry and who made the change. */
export function incidentEventPayload(
  type: string,
  payload: unknown,
  monitor: MonitorFields | null,
  at: Date,
): NotificationPayload {
  const outbox = parseStored(OutboxPayload, payload, "incident event payload");
  return {
    event: type,
    monitor: monitor ? monitorSummary(monitor) : null,
    status: statusFromCause(outbox.incident.cause),
    incident: { ...outbox.incident, update: outbox.update ?? null, actor: outbox.actor ?? null },
    timestamp: at.toISOString(),
  };
}

/**
 * An escalation step reads as the incident's opening, sent again to the step's channels, and says
 * which policy and step sent it. `step` is 0-based inside the system and 1-based for people.
 */
export function escalationPayload(
  incident: { id: string; status: string; cause: unknown } & Record<string, unknown>,
  monitor: MonitorFields | null,
  escalation: { policyId: string; step: number },
  at: Date,
): NotificationPayload {
  return {
    event: "incident.created",
    monitor: monitor ? monitorSummary(monitor) : null,
    status: statusFromCause(incident.cause),
    incident,
    escalation: { policy_id: escalation.policyId, step: escalation.step + 1 },
    timestamp: at.toISOString(),
  };
}

export interface ExportFields {
  id: string;
  type: string;
  format: string;
  rowCount: number;
  sizeBytes: number;
  completedAt: Date;
}

/** export.completed: about no monitor, incident or check, only the export. */
export function exportCompletedPayload(completed: ExportFields): NotificationPayload {
  return {
    event: "export.completed",
    monitor: null,
    status: null,
    incident: null,
    export: {
      id: completed.id,
      type: completed.type,
      format: completed.format,
      row_count: completed.rowCount,
      size_bytes: completed.sizeBytes,
      download_url: null,
    },
    timestamp: completed.completedAt.toISOString(),
  };
}

export interface IncidentSpan {
  id: string;
  monitorId: string | null;
  status: string;
  sourceEventId: string | null;
  startedAt: Date;
  resolvedAt: Date | null;
}

/**
 * The incident a monitor's state change belongs to: the one it opened, else the newest of the
 * monitor's incidents that was open at the change's tick (a recovery resolves its incident at the
 * tick, so that one still counts).
 */
export function incidentAt(
  incidents: readonly IncidentSpan[],
  event: { id: string; monitorId: string; tick: Date },
): IncidentSpan | null {
  const opened = incidents.find((i) => i.sourceEventId === event.id);
  if (opened) return opened;
  const t = event.tick.getTime();
  let best: IncidentSpan | null = null;
  for (const i of incidents) {
    if (i.monitorId !== event.monitorId || i.startedAt.getTime() > t) continue;
    if (i.resolvedAt && i.resolvedAt.getTime() < t) continue;
    if (!best || i.startedAt > best.startedAt) best = i;
  }
  return best;
}
