import { describe, expect, it } from "vitest";
import {
  escalationPayload,
  type IncidentSpan,
  incidentAt,
  incidentEventPayload,
  monitorEventPayload,
  monitorSummary,
  statusFromCause,
} from "./payload.ts";

const monitor = {
  id: "mon_1",
  name: "Website",
  type: "http",
  settings: { url: "https://example.com", http_method: "GET" },
};
const cause = { error: "status", http_status: 503, response_ms: 5000, region: "us-east", failing_regions: ["us-east"] };
const T = new Date("2026-03-25T10:00:00.000Z");

describe("notification payload", () => {
  it("is API.md's shape for a monitor state change", () => {
    const payload = monitorEventPayload({ id: "evt_1", type: "monitor.down", tick: T, cause }, monitor, {
      id: "inc_1",
      status: "investigating",
    });
    expect(payload).toEqual({
      event: "monitor.down",
      monitor: { id: "mon_1", name: "Website", url: "https://example.com", type: "http" },
      status: { http_status: 503, response_ms: 5000, error: "status", region: "us-east" },
      incident: { id: "inc_1", status: "investigating" },
      timestamp: "2026-03-25T10:00:00.000Z",
    });
  });

  it("says which certificate expires when for ssl.expiring, and only there", () => {
    const sslMonitor = { id: "mon_2", name: "Shop TLS", type: "ssl", settings: { host: "shop.example.com" } };
    const sslCause = {
      days_left: 6,
      threshold: 7,
      valid_to: "2026-03-31T12:00:00.000Z",
      fingerprint256: "AB:CD",
      region: "eu-west",
    };
    const payload = monitorEventPayload(
      { id: "evt_2", type: "ssl.expiring", tick: T, cause: sslCause },
      sslMonitor,
      null,
    );
    expect(payload).toEqual({
      event: "ssl.expiring",
      monitor: { id: "mon_2", name: "Shop TLS", url: "shop.example.com", type: "ssl" },
      status: { http_status: null, response_ms: null, error: null, region: "eu-west" },
      incident: null,
      certificate: { days_left: 6, valid_to: "2026-03-31T12:00:00.000Z", threshold: 7 },
      timestamp: T.toISOString(),
    });
    const down = monitorEventPayload({ id: "evt_3", type: "monitor.down", tick: T, cause }, monitor, null);
    expect(down).not.toHaveProperty("certificate");
  });

  it("never carries the credentials of the monitor's URL, stored in clear (legacy) or sealed", () => {
    const withCredentials = (url: string) => monitorSummary({ ...monitor, settings: { url } }).url;
    expect(withCredentials("https://admin:hunter2@example.com/health")).toBe("https://••••@example.com/health");
    expect(withCredentials("https://••••@example.com/health")).toBe("https://••••@example.com/health");
  });

  it("names hosts for monitors without a URL and copes with a missing cause", () => {
    expect(
      monitorSummary({ id: "m", name: "db", type: "tcp", settings: { host: "db.local", tcp_port: 5432 } }).url,
    ).toBe("db.local:5432");
    expect(monitorSummary({ id: "m", name: "ping", type: "ping", settings: { host: "1.1.1.1" } }).url).toBe("1.1.1.1");
    expect(monitorSummary({ id: "m", name: "cron", type: "heartbeat", settings: {} }).url).toBeNull();
    expect(statusFromCause(null)).toEqual({ http_status: null, response_ms: null, error: null, region: null });
    expect(monitorEventPayload({ id: "e", type: "monitor.up", tick: T, cause: {} }, monitor, null).incident).toBeNull();
  });

  it("carries the whole incident, its new entry and the actor for incident events", () => {
    const incident = { id: "inc_1", status: "investigating", title: "Website is down", cause, acknowledged_at: null };
    const update = { id: "upd_1", status: "investigating", message: "Down", created_at: T.toISOString() };
    const payload = incidentEventPayload("incident.created", { incident, update, actor: "system" }, monitor, T);
    expect(payload).toMatchObject({
      event: "incident.created",
      monitor: { id: "mon_1", url: "https://example.com" },
      status: { http_status: 503, error: "status", region: "us-east" },
      incident: { ...incident, update, actor: "system" },
      timestamp: T.toISOString(),
    });
    const manual = incidentEventPayload(
      "incident.updated",
      { incident: { id: "inc_2", status: "identified" } },
      null,
      T,
    );
    expect(manual.monitor).toBeNull();
    expect(manual.status?.http_status).toBeNull();
  });

  it("marks an escalation step with its policy and its 1-based step", () => {
    const incident = { id: "inc_1", status: "investigating", cause };
    expect(escalationPayload(incident, monitor, { policyId: "esc_1", step: 1 }, T)).toMatchObject({
      event: "incident.created",
      incident,
      escalation: { policy_id: "esc_1", step: 2 },
      status: { http_status: 503 },
    });
  });
});

describe("incidentAt", () => {
  const at = (minute: number) => new Date(T.getTime() + minute * 60_000);
  const span = (id: string, start: number, end: number | null, source: string | null = null): IncidentSpan => ({
    id,
    monitorId: "mon_1",
    status: end === null ? "investigating" : "resolved",
    sourceEventId: source,
    startedAt: at(start),
    resolvedAt: end === null ? null : at(end),
  });
  const incidents = [span("inc_old", 0, 5, "evt_old"), span("inc_new", 10, null, "evt_new")];

  it("is the incident the event opened", () => {
    expect(incidentAt(incidents, { id: "evt_new", monitorId: "mon_1", tick: at(10) })?.id).toBe("inc_new");
  });

  it("is the incident open at the tick, including the one a recovery resolves at that tick", () => {
    expect(incidentAt(incidents, { id: "evt_up", monitorId: "mon_1", tick: at(5) })?.id).toBe("inc_old");
    expect(incidentAt(incidents, { id: "evt_deg", monitorId: "mon_1", tick: at(12) })?.id).toBe("inc_new");
  });

  it("is none between incidents or for another monitor", () => {
    expect(incidentAt(incidents, { id: "evt_x", monitorId: "mon_1", tick: at(7) })).toBeNull();
    expect(incidentAt(incidents, { id: "evt_x", monitorId: "mon_2", tick: at(12) })).toBeNull();
  });
});
