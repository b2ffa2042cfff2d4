import { describe, expect, it } from "vitest";
import { CreateWindowBody, PatchWindowBody, windowProblems } from "./schemas.ts";

const issues = (
  schema: { safeParse(v: unknown): { error?: { issues: { path: PropertyKey[]; message: string }[] } } },
  v: unknown,
) => (schema.safeParse(v).error?.issues ?? []).map((issue) => ({ path: issue.path.join("."), message: issue.message }));

const base = {
  name: "DB upgrade",
  monitor_ids: ["mon_a"],
  starts_at: "2026-03-28T02:00:00+01:00",
  ends_at: "2026-03-28T04:00:00+01:00",
};

describe("CreateWindowBody", () => {
  it("trims the name, drops repeated monitors and defaults to a one-off window in UTC", () => {
    expect(
      CreateWindowBody.parse({ ...base, name: "  DB upgrade ", monitor_ids: ["mon_a", "mon_b", "mon_a"] }),
    ).toEqual({ ...base, key: null, monitor_ids: ["mon_a", "mon_b"], repeat: null, timezone: "UTC" });
  });

  it("needs an offset on both instants", () => {
    for (const starts_at of ["2026-03-28T02:00:00", "2026-03-28", "yesterday", "2026-02-30T02:00:00Z"]) {
      expect(issues(CreateWindowBody, { ...base, starts_at })).toEqual([
        { path: "starts_at", message: "must be an ISO 8601 date-time with an offset" },
      ]);
    }
    expect(issues(CreateWindowBody, { ...base, ends_at: "2026-03-28T05:00:00.123Z" })).toEqual([]);
    expect(issues(CreateWindowBody, { ...base, starts_at: "0000-01-01T00:00:00Z" })).toEqual([
      { path: "starts_at", message: "must be between 1970-01-01 and 9999-12-31 (UTC)" },
    ]);
    // Year 10000 once converted to UTC: stored by PostgreSQL, an invalid date once read back.
    expect(
      issues(CreateWindowBody, {
        ...base,
        starts_at: "9999-12-31T20:00:00-14:00",
        ends_at: "9999-12-31T23:00:00-14:00",
        repeat: "weekly",
      }),
    ).toEqual([
      { path: "starts_at", message: "must be between 1970-01-01 and 9999-12-31 (UTC)" },
      { path: "ends_at", message: "must be between 1970-01-01 and 9999-12-31 (UTC)" },
    ]);
    // Read as a local time it would come after ends_at: only the missing offset is reported.
    expect(issues(CreateWindowBody, { ...base, ends_at: "2026-03-28T01:00:00" }).map((i) => i.path)).toEqual([
      "ends_at",
    ]);
    expect(issues(CreateWindowBody, { ...base, ends_at: "2026-03-28T01:00:00" })[0]?.message).toMatch(/offset/);
  });

  it("names ends_at when the window ends before it starts or outlasts its period", () => {
    expect(issues(CreateWindowBody, { ...base, ends_at: base.starts_at })).toEqual([
      { path: "ends_at", message: "must be after starts_at" },
    ]);
    const day = { ...base, ends_at: "2026-03-29T03:00:00+01:00", repeat: "daily" };
    expect(issues(CreateWindowBody, day)).toEqual([
      { path: "ends_at", message: "a daily window lasts at most 24 hours" },
    ]);
    expect(issues(CreateWindowBody, { ...day, repeat: "weekly" })).toEqual([]);
    expect(issues(CreateWindowBody, { ...day, repeat: null })).toEqual([]);
    const week = { ...base, ends_at: "2026-04-04T04:00:01+02:00", repeat: "weekly" };
    expect(issues(CreateWindowBody, week)).toEqual([
      { path: "ends_at", message: "a weekly window lasts at most 7 days" },
    ]);
  });

  it("takes IANA zones only, and null, daily or weekly as repeat", () => {
    expect(issues(CreateWindowBody, { ...base, timezone: "Mars/Olympus" })).toEqual([
      { path: "timezone", message: 'unknown IANA time zone "Mars/Olympus"' },
    ]);
    for (const timezone of ["", "Europe/Nowhere", "+01:00"]) {
      expect(issues(CreateWindowBody, { ...base, timezone })[0]?.path).toBe("timezone");
    }
    for (const timezone of ["UTC", "America/New_York", "Asia/Kolkata", "Etc/GMT+1"]) {
      expect(issues(CreateWindowBody, { ...base, timezone })).toEqual([]);
    }
    expect(issues(CreateWindowBody, { ...base, timezone: "Europe/Berlin", repeat: "weekly" })).toEqual([]);
    expect(issues(CreateWindowBody, { ...base, repeat: "monthly" })).toEqual([
      { path: "repeat", message: "must be null, daily or weekly" },
    ]);
  });

  it("lists every field problem, unknown fields included", () => {
    const paths = issues(CreateWindowBody, { monitor_ids: [], starts_at: 1, active: true }).map((i) => i.path);
    expect(paths.sort()).toEqual(["", "ends_at", "monitor_ids", "name", "starts_at"]);
  });

  it("refuses NUL in text PostgreSQL stores or compares", () => {
    const body = { ...base, name: "a\u0000b", monitor_ids: ["mon_\u0000"] };
    expect(issues(CreateWindowBody, body).map((i) => i.path)).toEqual(["name", "monitor_ids.0"]);
  });
});

describe("PatchWindowBody", () => {
  it("takes any subset, and checks each field given", () => {
    expect(PatchWindowBody.parse({})).toEqual({});
    expect(PatchWindowBody.parse({ repeat: null })).toEqual({ repeat: null });
    expect(
      issues(PatchWindowBody, { monitor_ids: [], timezone: "Mars/Olympus", id: "mnt_x" }).map((i) => i.path),
    ).toEqual(["monitor_ids", "timezone", ""]);
  });
});

describe("windowProblems", () => {
  it("allows a daily window of exactly 24 hours, which ends as the next begins", () => {
    const span = { starts_at: "2026-03-01T00:00:00Z", ends_at: "2026-03-02T00:00:00Z", repeat: "daily" as const };
    expect(windowProblems(span)).toEqual([]);
    expect(windowProblems({ ...span, ends_at: "2026-03-02T00:00:00.001Z" })).toHaveLength(1);
  });
});
