import { describe, expect, it } from "vitest";
import type { components } from "../../api/client.ts";
import { incidentQuery, readIncidentFilters, timeline, writeIncidentFilters } from "./incident-view.ts";

type Incident = components["schemas"]["Incident"];

const incident = (fields: Partial<Incident> = {}): Incident => ({
  id: "inc_1",
  monitor_id: "mon_1",
  title: "Website is down",
  status: "investigating",
  cause: null,
  started_at: "2026-12-06T10:00:00.000Z",
  acknowledged_at: null,
  acknowledged_by: null,
  resolved_at: null,
  updates: [],
  ...fields,
});

describe("incident filters", () => {
  it("open incidents by default; ?all and a known status round-trip; an unknown status is dropped", () => {
    expect(readIncidentFilters(new URLSearchParams())).toEqual({ open: true });
    const all = readIncidentFilters(new URLSearchParams("all&status=monitoring"));
    expect(all).toEqual({ open: false, status: "monitoring" });
    expect(readIncidentFilters(writeIncidentFilters(all))).toEqual(all);
    expect(readIncidentFilters(new URLSearchParams("status=bogus"))).toEqual({ open: true });
  });

  it("asks the API for active ones only when open", () => {
    expect(incidentQuery({ open: true })).toEqual({ active: "true" });
    expect(incidentQuery({ open: false, status: "resolved" })).toEqual({ status: "resolved" });
  });
});

describe("timeline", () => {
  it("orders the start, updates, acknowledgement and resolution by time", () => {
    const entries = timeline(
      incident({
        status: "resolved",
        acknowledged_at: "2026-12-06T10:05:00.000Z",
        acknowledged_by: "ada@example.com",
        resolved_at: "2026-12-06T10:30:00.000Z",
        updates: [
          { id: "u2", status: "identified", message: "A bad deploy", created_at: "2026-12-06T10:10:00.000Z" },
          { id: "u1", status: "investigating", message: "timeout", created_at: "2026-12-06T10:00:00.000Z" },
        ],
      }),
    );
    expect(entries.map((e) => [e.key, e.title])).toEqual([
      ["started", "Started"],
      ["u1", "Update"],
      ["acknowledged", "Acknowledged by ada@example.com"],
      ["u2", "Update"],
      ["resolved", "Resolved"],
    ]);
  });

  it("an open incident has its start and updates only", () => {
    expect(timeline(incident()).map((e) => e.key)).toEqual(["started"]);
  });
});
