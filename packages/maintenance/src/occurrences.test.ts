import { describe, expect, it } from "vitest";
import { type Interval, mergeIntervals, occurrenceAt, occurrencesBetween, type WindowTimes } from "./occurrences.ts";

const at = (iso: string) => new Date(iso).getTime();
/** A window's first occurrence, from `start` to `end`. */
const span = (start: string, end: string) => ({ startsAt: new Date(start), endsAt: new Date(end) });
const iso = (interval: Interval | null) =>
  interval && [new Date(interval.start).toISOString(), new Date(interval.end).toISOString()];

const window = (fields: Partial<WindowTimes>): WindowTimes => ({
  startsAt: new Date("2026-03-01T01:00:00Z"),
  endsAt: new Date("2026-03-01T03:00:00Z"),
  repeat: null,
  timezone: "UTC",
  ...fields,
});

describe("a one-off window", () => {
  it("is on from its start (included) to its end (excluded), and never again", () => {
    const w = window({});
    expect(occurrenceAt(w, at("2026-03-01T00:59:59.999Z"))).toBeNull();
    expect(iso(occurrenceAt(w, at("2026-03-01T01:00:00Z")))).toEqual([
      "2026-03-01T01:00:00.000Z",
      "2026-03-01T03:00:00.000Z",
    ]);
    expect(occurrenceAt(w, at("2026-03-01T02:59:59.999Z"))).not.toBeNull();
    expect(occurrenceAt(w, at("2026-03-01T03:00:00Z"))).toBeNull();
    expect(occurrenceAt(w, at("2026-03-02T02:00:00Z"))).toBeNull();
  });
});

describe("a daily window", () => {
  it("recurs every day, never before its first start", () => {
    const w = window({ repeat: "daily" });
    expect(occurrenceAt(w, at("2026-02-28T02:00:00Z"))).toBeNull();
    expect(iso(occurrenceAt(w, at("2026-03-31T02:30:00Z")))).toEqual([
      "2026-03-31T01:00:00.000Z",
      "2026-03-31T03:00:00.000Z",
    ]);
    expect(occurrenceAt(w, at("2026-03-31T03:30:00Z"))).toBeNull();
  });

  it("keeps its wall-clock time in its zone across a daylight-saving change (Europe/Berlin, 29 March 2026)", () => {
    // 02:30–03:30 local: 01:30Z in winter (UTC+1), 00:30Z in summer (UTC+2).
    const w = window({
      ...span("2026-03-27T01:30:00Z", "2026-03-27T02:30:00Z"),
      repeat: "daily",
      timezone: "Europe/Berlin",
    });
    const starts = occurrencesBetween(w, at("2026-03-27T00:00:00Z"), at("2026-04-01T00:00:00Z")).map((o) =>
      new Date(o.start).toISOString(),
    );
    expect(starts).toEqual([
      "2026-03-27T01:30:00.000Z",
      "2026-03-28T01:30:00.000Z",
      // 02:30 does not exist that night (02:00 → 03:00): luxon moves it forward to 03:30 local.
      "2026-03-29T01:30:00.000Z",
      "2026-03-30T00:30:00.000Z",
      "2026-03-31T00:30:00.000Z",
    ]);
    expect(occurrenceAt(w, at("2026-03-30T01:00:00Z"))).not.toBeNull();
    expect(occurrenceAt(w, at("2026-03-30T01:30:00Z"))).toBeNull();
  });
});

describe("a weekly window", () => {
  it("recurs on the same weekday, and a long one spans days", () => {
    // Sunday 22:00 to Monday 02:00 UTC.
    const w = window({ ...span("2026-03-01T22:00:00Z", "2026-03-02T02:00:00Z"), repeat: "weekly" });
    expect(iso(occurrenceAt(w, at("2026-03-16T01:00:00Z")))).toEqual([
      "2026-03-15T22:00:00.000Z",
      "2026-03-16T02:00:00.000Z",
    ]);
    expect(occurrenceAt(w, at("2026-03-17T01:00:00Z"))).toBeNull();
    expect(occurrencesBetween(w, at("2026-03-01T00:00:00Z"), at("2026-03-29T00:00:00Z"))).toHaveLength(4);
  });

  it("finds occurrences years after the first without walking every week", () => {
    const w = window({ repeat: "weekly", timezone: "America/New_York" });
    const later = occurrencesBetween(w, at("2036-01-01T00:00:00Z"), at("2036-01-15T00:00:00Z"));
    expect(later).toHaveLength(2);
    // Same weekday and local time as the first (Saturday 20:00 in New York, UTC−5 in winter).
    expect(later.map((o) => new Date(o.start).getUTCDay())).toEqual([0, 0]);
    expect(later.map((o) => new Date(o.start).getUTCHours())).toEqual([1, 1]);
  });
});

describe("occurrencesBetween", () => {
  it("includes an occurrence that began before the range and is still on", () => {
    const w = window({ repeat: "daily" });
    expect(occurrencesBetween(w, at("2026-03-05T02:00:00Z"), at("2026-03-05T02:30:00Z"))).toHaveLength(1);
    expect(occurrencesBetween(w, at("2026-03-05T03:00:00Z"), at("2026-03-06T01:00:00Z"))).toEqual([]);
  });
});

describe("times no window can spin on", () => {
  it("gives nothing for invalid dates (year 10000 read back from PostgreSQL), at once", () => {
    const invalid = window({ startsAt: new Date(Number.NaN), endsAt: new Date(Number.NaN), repeat: "weekly" });
    expect(occurrencesBetween(invalid, at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z"))).toEqual([]);
    expect(occurrenceAt(window({ repeat: "daily" }), Number.NaN)).toBeNull();
  });

  it("stops a weekly window at the end of year 9999 and walks a range of millennia in bounded steps", () => {
    const last = window({
      ...span("9999-12-31T20:00:00Z", "9999-12-31T23:00:00Z"),
      repeat: "weekly",
      timezone: "Pacific/Kiritimati",
    });
    const found = occurrencesBetween(last, at("1970-01-01T00:00:00Z"), at("9999-12-31T23:59:59.999Z"));
    expect(found.map(iso)).toEqual([["9999-12-31T20:00:00.000Z", "9999-12-31T23:00:00.000Z"]]);
    const everyDay = window({ repeat: "daily" });
    expect(occurrencesBetween(everyDay, at("2026-03-01T00:00:00Z"), at("9999-01-01T00:00:00Z")).length).toBe(1_000);
  });
});

describe("mergeIntervals", () => {
  it("joins overlapping and touching intervals and sorts them", () => {
    expect(
      mergeIntervals([
        { start: 50, end: 60 },
        { start: 0, end: 10 },
        { start: 5, end: 20 },
        { start: 20, end: 25 },
      ]),
    ).toEqual([
      { start: 0, end: 25 },
      { start: 50, end: 60 },
    ]);
  });
});
