import { maskUrlUserInfo } from "@upfleet/secrets";

/** How a message reads at a glance; chat colours and email accents follow it. */
export type Tone = "down" | "up" | "degraded" | "warning" | "info" | "test";

/** One colour per tone (24-bit RGB): Discord embeds take the number, email the hex of it. */
export const TONE_COLOURS: Record<Tone, number> = {
  down: 0xe01e5a,
  up: 0x2eb67d,
  degraded: 0xf2994a,
  warning: 0xecb22e,
  info: 0x36c5f0,
  test: 0x8a8f98,
};

interface Link {
  label: string;
  url: string;
}

/** What every human-readable format says about a notification payload. */
export interface Summary {
  event: string;
  tone: Tone;
  /** One line: "Website is down", "Incident resolved: Payments failing". */
  headline: string;
  monitorName: string | null;
  monitorUrl: string | null;
  /** What went wrong, from the failing check: "HTTP 503 · timeout · 5000 ms · us-east". */
  cause: string | null;
  incidentTitle: string | null;
  incidentStatus: string | null;
  links: Link[];
  timestamp: string | null;
  isTest: boolean;
}

type Fields = Record<string, unknown>;

const record = (value: unknown): Fields =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Fields) : {};
const text = (value: unknown): string | null =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : null;
const number = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);

const MONITOR_EVENTS: Record<string, { tone: Tone; state: string }> = {
  "monitor.down": { tone: "down", state: "is down" },
  "monitor.up": { tone: "up", state: "is up again" },
  "monitor.degraded": { tone: "degraded", state: "is degraded" },
  "ssl.expiring": { tone: "warning", state: "has a TLS certificate expiring soon" },
};

const INCIDENT_EVENTS: Record<string, { tone: Tone; verb: string }> = {
  "incident.created": { tone: "down", verb: "Incident opened" },
  "incident.updated": { tone: "info", verb: "Incident updated" },
  "incident.acknowledged": { tone: "info", verb: "Incident acknowledged" },
  "incident.resolved": { tone: "up", verb: "Incident resolved" },
};

/** "expires in 6 days (2026-03-31)" from an ssl.expiring payload's `certificate`, or null without one. */
function describeExpiry(certificate: Fields): string | null {
  const daysLeft = number(certificate.days_left);
  if (daysLeft === null) return null;
  const validTo = text(certificate.valid_to);
  const date =
    validTo && !Number.isNaN(Date.parse(validTo)) ? ` (${new Date(validTo).toISOString().slice(0, 10)})` : "";
  // days_left counts whole days, so 0 is a certificate with less than a day to go.
  const when = daysLeft < 1 ? "in less than a day" : daysLeft === 1 ? "in 1 day" : `in ${daysLeft} days`;
  return `expires ${when}${date}`;
}

function describeCause(status: Fields): string | null {
  const httpStatus = number(status.http_status);
  const responseMs = number(status.response_ms);
  const parts = [
    httpStatus === null ? null : `HTTP ${httpStatus}`,
    text(status.error),
    responseMs === null ? null : `${Math.round(responseMs)} ms`,
    text(status.region),
  ].filter((part): part is string => part !== null);
  return parts.length > 0 ? parts.join(" · ") : null;
}

function safeLink(label: string, url: string | null): Link[] {
  if (!url) return [];
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? [{ label, url: parsed.toString() }] : [];
  } catch {
    return [];
  }
}

/**
 * Reads a payload as API.md shapes it (`{event, monitor, status, incident, timestamp}`), tolerating
 * missing parts: incident.* events may carry only the incident, and a hand-made row may carry less.
 * `publicUrl` is where the API answers, for links to the incident and the monitor.
 */
export function summarize(payload: unknown, publicUrl: string): Summary {
  const body = record(payload);
  const event = text(body.event) ?? "notification";
  const monitor = record(body.monitor);
  const incident = record(body.incident);
  const monitorName = text(monitor.name);
  const monitorId = text(monitor.id);
  const incidentId = text(incident.id);
  const incidentTitle = text(incident.title);
  const isTest = event === "test" || body.test === true;
  const subject = monitorName ?? incidentTitle ?? "A monitor";

  let tone: Tone = "info";
  let headline = `${event} for ${subject}`;
  const monitorEvent = MONITOR_EVENTS[event];
  const incidentEvent = INCIDENT_EVENTS[event];
  const expiry = event === "ssl.expiring" ? describeExpiry(record(body.certificate)) : null;
  if (expiry) {
    tone = "warning";
    headline = `${subject}: TLS certificate ${expiry}`;
  } else if (monitorEvent) {
    tone = monitorEvent.tone;
    headline = `${subject} ${monitorEvent.state}`;
  } else if (incidentEvent) {
    tone = incidentEvent.tone;
    headline = `${incidentEvent.verb}: ${incidentTitle ?? subject}`;
  }
  const exported = record(body.export);
  const exportId = event === "export.completed" ? text(exported.id) : null;
  if (exportId) {
    const rows = number(exported.row_count);
    const what = [text(exported.type), text(exported.format)?.toUpperCase()].filter(Boolean).join(" as ");
    headline = `Export completed: ${what || exportId}${rows === null ? "" : `, ${rows} ${rows === 1 ? "row" : "rows"}`}`;
  }
  if (isTest) {
    tone = "test";
    headline = "Test notification from Upfleet: this channel works";
  }

  const base = publicUrl.replace(/\/+$/, "");
  // Payloads mask the URL's credentials; masked again here for notifications queued before they did.
  const monitorUrl = text(monitor.url) === null ? null : maskUrlUserInfo(text(monitor.url)!);
  const links = [
    ...safeLink("Incident", incidentId ? `${base}/api/v1/incidents/${encodeURIComponent(incidentId)}` : null),
    ...safeLink("Monitor", monitorId && !isTest ? `${base}/api/v1/monitors/${encodeURIComponent(monitorId)}` : null),
    ...safeLink("Checked URL", monitorUrl),
    // The API's export, not its file: the signed download link is only for callers with the scopes.
    ...safeLink("Export", exportId ? `${base}/api/v1/exports/${encodeURIComponent(exportId)}` : null),
  ];
  return {
    event,
    tone,
    headline,
    monitorName,
    monitorUrl,
    cause: describeCause(record(body.status)) ?? text(record(incident.cause).error),
    incidentTitle,
    incidentStatus: text(incident.status),
    links,
    timestamp: text(body.timestamp),
    isTest,
  };
}

/** The facts every format lists, label then value, leaving out what the payload did not say. */
export function facts(summary: Summary): [string, string][] {
  const rows: [string, string | null][] = [
    ["Monitor", summary.monitorName],
    ["URL", summary.monitorUrl],
    ["Cause", summary.cause],
    ["Incident", summary.incidentTitle],
    ["Incident status", summary.incidentStatus],
  ];
  return rows.filter((row): row is [string, string] => row[1] !== null);
}
