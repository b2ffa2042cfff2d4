/**
 * The monitor form as data: which fields each type has, how each is edited, and how the form's
 * strings become the API's body (and back). The API validates; this only shapes values.
 */
import type { TYPES } from "./filters.ts";

export type MonitorType = (typeof TYPES)[number];

type Kind = "text" | "url" | "number" | "select" | "checkbox" | "json" | "list" | "numbers" | "textarea";

export interface FieldSpec {
  name: string;
  label: string;
  kind: Kind;
  options?: readonly string[];
  hint?: string;
  /** Sent as null when left empty (the API's nullable fields), instead of being left out. */
  nullable?: boolean;
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;
const threshold: FieldSpec = {
  name: "response_time_threshold_ms",
  label: "Degraded above (ms)",
  kind: "number",
  nullable: true,
};
const host: FieldSpec = { name: "host", label: "Host", kind: "text" };

const COMMON_FIELDS: FieldSpec[] = [
  { name: "name", label: "Name", kind: "text" },
  { name: "interval_seconds", label: "Interval (seconds)", kind: "number" },
  { name: "timeout_ms", label: "Timeout (ms)", kind: "number" },
  { name: "regions", label: "Regions", kind: "list", hint: "Comma-separated; empty for the default" },
  { name: "tags", label: "Tags", kind: "list", hint: "Comma-separated" },
  { name: "confirmations", label: "Failures before down", kind: "number" },
  { name: "recovery_confirmations", label: "Successes before up", kind: "number" },
];

const TYPE_FIELDS: Record<MonitorType, FieldSpec[]> = {
  http: [
    { name: "url", label: "URL", kind: "url" },
    { name: "http_method", label: "Method", kind: "select", options: METHODS },
    { name: "http_expected_status", label: "Expected status", kind: "text", hint: "e.g. 200-299 or 200,301" },
    { name: "http_headers", label: "Headers (JSON object)", kind: "json" },
    { name: "http_body", label: "Body", kind: "textarea", nullable: true },
    { name: "http_keyword", label: "Keyword in the body", kind: "text", nullable: true },
    { name: "http_keyword_negate", label: "Down when the keyword is present", kind: "checkbox" },
    threshold,
    { name: "follow_redirects", label: "Follow redirects", kind: "checkbox" },
    { name: "verify_tls", label: "Verify TLS certificate", kind: "checkbox" },
  ],
  tcp: [host, { name: "tcp_port", label: "Port", kind: "number" }, threshold],
  dns: [
    host,
    {
      name: "dns_record_type",
      label: "Record type",
      kind: "select",
      options: ["A", "AAAA", "MX", "TXT", "CNAME", "NS"],
    },
    { name: "dns_expected_value", label: "Expected value", kind: "text", nullable: true },
    { name: "dns_resolver", label: "Resolver", kind: "text", nullable: true },
  ],
  ping: [host, threshold],
  ssl: [
    { name: "url", label: "URL", kind: "url", hint: "Or a host and port" },
    { name: "host", label: "Host", kind: "text" },
    { name: "port", label: "Port", kind: "number" },
    { name: "ssl_expiry_alert_days", label: "Alert days before expiry", kind: "numbers", hint: "e.g. 30, 14, 7, 1" },
  ],
  heartbeat: [
    { name: "heartbeat_schedule", label: "Cron schedule", kind: "text", nullable: true, hint: "Or an interval above" },
    { name: "heartbeat_timezone", label: "Time zone", kind: "text" },
    { name: "heartbeat_grace_minutes", label: "Grace (minutes)", kind: "number" },
    { name: "heartbeat_min_runtime_seconds", label: "Shortest run (seconds)", kind: "number", nullable: true },
    { name: "heartbeat_max_runtime_seconds", label: "Longest run (seconds)", kind: "number", nullable: true },
  ],
  api: [{ name: "api_check_steps", label: "Steps (JSON array)", kind: "json" }],
};

export const fieldsOf = (type: MonitorType): FieldSpec[] => [...COMMON_FIELDS, ...TYPE_FIELDS[type]];

/** Form values are strings (checkboxes: "on" or absent), as FormData gives them. */
export type FormValues = Record<string, string | undefined>;

/**
 * The API body for `type` from the form. Empty fields are left out (the API's defaults apply) unless
 * the field is nullable and `editing`, where empty means "clear it". Values that do not parse are
 * sent as typed, so the API's message lands on the field.
 */
export function toBody(type: MonitorType, values: FormValues, editing: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = editing ? {} : { type };
  for (const spec of fieldsOf(type)) {
    const raw = values[spec.name];
    if (spec.kind === "checkbox") {
      body[spec.name] = raw === "on";
      continue;
    }
    const text = raw?.trim() ?? "";
    if (text === "") {
      if (spec.nullable && editing) body[spec.name] = null;
      continue;
    }
    body[spec.name] = parse(spec.kind, text);
  }
  return body;
}

function parse(kind: Kind, text: string): unknown {
  switch (kind) {
    case "number":
      return Number.isFinite(Number(text)) ? Number(text) : text;
    case "list":
      return split(text);
    case "numbers":
      return split(text).map((item) => (Number.isFinite(Number(item)) ? Number(item) : item));
    case "json":
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    default:
      return text;
  }
}

const split = (text: string) =>
  text
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);

/** A stored monitor as form values: the inverse of toBody. */
export function toValues(monitor: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const spec of fieldsOf(monitor.type as MonitorType)) {
    const value = monitor[spec.name];
    if (value === null || value === undefined) continue;
    if (spec.kind === "checkbox") values[spec.name] = value ? "on" : undefined;
    else if (spec.kind === "json") values[spec.name] = JSON.stringify(value, null, 2);
    else if (Array.isArray(value)) values[spec.name] = value.join(", ");
    else values[spec.name] = String(value);
  }
  return values;
}

/** What a new monitor of `type` starts with: the API's defaults, shown so they can be changed. */
export function defaultValues(type: MonitorType): FormValues {
  const base: FormValues = { interval_seconds: type === "heartbeat" ? "" : "60" };
  if (type === "http")
    return { ...base, http_method: "GET", http_expected_status: "200-299", follow_redirects: "on", verify_tls: "on" };
  if (type === "dns") return { ...base, dns_record_type: "A" };
  if (type === "ssl") return { ...base, port: "443", ssl_expiry_alert_days: "30, 14, 7, 1" };
  if (type === "heartbeat") return { ...base, heartbeat_timezone: "UTC", heartbeat_grace_minutes: "5" };
  return base;
}
