import { describe, expect, it } from "vitest";
import { presentWindow, type WindowRow } from "./present.ts";

const at = (iso: string) => Date.parse(iso);
/** A window's first occurrence, from `start` to `end`. */
const span = (start: string, end: string) => ({ startsAt: new Date(start), endsAt: new Date(end) });

function row(fields: Partial<WindowRow>): WindowRow {
  return {
    id: "mnt_01",
    organizationId: "org_01",
    key: null,
    name: "Nightly backup",
    monitorIds: ["mon_a"],
    startsAt: new Date("2026-03-01T01:00:00Z"),
    endsAt: new Date("2026-03-01T03:00:00Z"),
    repeat: null,
    timezone: "UTC",
    createdAt: new Date("2026-02-01T00:00:00Z"),
    updatedAt: new Date("2026-02-02T00:00:00Z"),
    ...fields,
  };
}

describe("presentWindow", () => {
  it("a one-off window: next before it, active during it, nothing after it", () => {
    const window = row({});
    expect(presentWindow(window, at("2026-02-10T00:00:00Z"))).toMatchObject({
      active: false,
      next_occurrence: { starts_at: "2026-03-01T01:00:00.000Z", ends_at: "2026-03-01T03:00:00.000Z" },
    });
    expect(presentWindow(window, at("2026-03-01T01:00:00Z"))).toMatchObject({ active: true });
    expect(presentWindow(window, at("2026-03-01T03:00:00Z"))).toMatchObject({ active: false, next_occurrence: null });
  });

  it("is the API's shape, timestamps in UTC with milliseconds", () => {
    expect(presentWindow(row({ repeat: "weekly" }), at("2026-03-02T00:00:00Z"))).toEqual({
      id: "mnt_01",
      key: null,
      name: "Nightly backup",
      monitor_ids: ["mon_a"],
      starts_at: "2026-03-01T01:00:00.000Z",
      ends_at: "2026-03-01T03:00:00.000Z",
      repeat: "weekly",
      timezone: "UTC",
      active: false,
      next_occurrence: { starts_at: "2026-03-08T01:00:00.000Z", ends_at: "2026-03-08T03:00:00.000Z" },
      created_at: "2026-02-01T00:00:00.000Z",
      updated_at: "2026-02-02T00:00:00.000Z",
    });
  });

  it("a daily Europe/Berlin window keeps its local time across the spring change", () => {
    // 02:30–03:30 Berlin, first on 1 March (CET, UTC+1); summer time starts on 29 March 2026.
    const window = row({
      ...span("2026-03-01T01:30:00Z", "2026-03-01T02:30:00Z"),
      repeat: "daily",
      timezone: "Europe/Berlin",
    });
    expect(presentWindow(window, at("2026-04-10T12:00:00Z")).next_occurrence).toEqual({
      starts_at: "2026-04-11T00:30:00.000Z",
      ends_at: "2026-04-11T01:30:00.000Z",
    });
    expect(presentWindow(window, at("2026-04-11T01:00:00Z"))).toMatchObject({
      active: true,
      next_occurrence: { starts_at: "2026-04-11T00:30:00.000Z" },
    });
  });

  it("finds the first occurrence of a repeating window that starts months ahead", () => {
    const window = row({
      repeat: "daily",
      startsAt: new Date("2026-09-01T01:00:00Z"),
      endsAt: new Date("2026-09-01T02:00:00Z"),
    });
    expect(presentWindow(window, at("2026-03-01T00:00:00Z")).next_occurrence?.starts_at).toBe(
      "2026-09-01T01:00:00.000Z",
    );
  });
});
