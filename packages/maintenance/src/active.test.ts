import { newId } from "@upfleet/ids";
import { test } from "@upfleet/testing/fixtures";
import { describe, expect } from "vitest";
import { inMaintenance, maintenanceEnds, maintenanceIntervals, occurrencesEndedBetween } from "./active.ts";

const at = (iso: string) => new Date(iso);

type Repeat = "daily" | "weekly" | null;

/** `window` writes a maintenance window as the API stores it; monitor ids are free text here (no foreign key). */
const it = test.extend<{
  window: (monitorIds: string[], startsAt: string, endsAt: string, repeat?: Repeat) => Promise<string>;
}>({
  window: async ({ db, organizationId }, use) => {
    await use(async (monitorIds, startsAt, endsAt, repeat = null) => {
      const id = newId("maintenanceWindow");
      await db.maintenanceWindow.create({
        data: { id, organizationId, name: "upgrade", monitorIds, startsAt: at(startsAt), endsAt: at(endsAt), repeat },
      });
      return id;
    });
  },
});

describe("inMaintenance", () => {
  it("answers per (monitor, instant), only for the monitors a window names", async ({ db, window }) => {
    const [a, b, c] = [newId("monitor"), newId("monitor"), newId("monitor")];
    await window([a, b], "2026-05-01T10:00:00Z", "2026-05-01T11:00:00Z");
    await window([b], "2026-05-01T02:00:00Z", "2026-05-01T03:00:00Z", "daily");
    const result = await inMaintenance(db, [
      { monitorId: a, at: at("2026-05-01T10:00:00Z") },
      { monitorId: a, at: at("2026-05-01T11:00:00Z") },
      { monitorId: c, at: at("2026-05-01T10:30:00Z") },
      { monitorId: b, at: at("2026-05-09T02:59:59Z") },
      { monitorId: a, at: at("2026-05-09T02:30:00Z") },
    ]);
    expect(result).toEqual([true, false, false, true, false]);
    expect(await inMaintenance(db, [])).toEqual([]);
  });
});

describe("maintenanceEnds", () => {
  it("gives the end of the maintenance, across windows that take over from one another", async ({ db, window }) => {
    const m = newId("monitor");
    await window([m], "2026-06-01T08:00:00Z", "2026-06-01T09:00:00Z");
    await window([m], "2026-06-01T09:00:00Z", "2026-06-01T09:30:00Z");
    await window([m], "2026-06-01T09:15:00Z", "2026-06-01T10:00:00Z");
    const ends = await maintenanceEnds(db, [
      { monitorId: m, at: at("2026-06-01T08:10:00Z") },
      { monitorId: m, at: at("2026-06-01T10:00:00Z") },
    ]);
    expect(ends).toEqual([at("2026-06-01T10:00:00Z"), null]);
  });

  it("stops looking a week ahead when a daily window of 24 h never ends", async ({ db, window }) => {
    const m = newId("monitor");
    await window([m], "2026-06-01T00:00:00Z", "2026-06-02T00:00:00Z", "daily");
    const [end] = await maintenanceEnds(db, [{ monitorId: m, at: at("2026-06-10T12:00:00Z") }]);
    expect(end!.getTime()).toBeGreaterThan(at("2026-06-17T12:00:00Z").getTime());
    expect(end!.getTime()).toBeLessThanOrEqual(at("2026-06-19T12:00:00Z").getTime());
  });
});

describe("maintenanceIntervals", () => {
  it("clips a repeating window's occurrences to the range and merges overlapping windows", async ({ db, window }) => {
    const m = newId("monitor");
    await window([m], "2026-07-01T01:00:00Z", "2026-07-01T03:00:00Z", "daily");
    await window([m], "2026-07-02T02:00:00Z", "2026-07-02T05:00:00Z");
    const intervals = await maintenanceIntervals(db, m, at("2026-07-01T02:00:00Z"), at("2026-07-03T02:00:00Z"));
    expect(intervals.map((i) => [new Date(i.start).toISOString(), new Date(i.end).toISOString()])).toEqual([
      ["2026-07-01T02:00:00.000Z", "2026-07-01T03:00:00.000Z"],
      ["2026-07-02T01:00:00.000Z", "2026-07-02T05:00:00.000Z"],
      ["2026-07-03T01:00:00.000Z", "2026-07-03T02:00:00.000Z"],
    ]);
    expect(
      await maintenanceIntervals(db, newId("monitor"), at("2026-07-01T00:00:00Z"), at("2026-07-04T00:00:00Z")),
    ).toEqual([]);
  });
});

describe("occurrencesEndedBetween", () => {
  it("lists one-off and repeating occurrences whose end is in (from, to]", async ({ db, window }) => {
    const m = newId("monitor");
    const once = await window([m], "2027-01-01T10:00:00Z", "2027-01-01T11:00:00Z");
    const daily = await window([m], "2026-12-25T10:30:00Z", "2026-12-25T11:00:00Z", "daily");
    await window([m], "2027-01-01T11:00:00Z", "2027-01-01T12:00:00Z");
    const ended = await occurrencesEndedBetween(db, at("2027-01-01T10:59:00Z"), at("2027-01-01T11:00:00Z"));
    expect(ended.map((o) => [o.windowId, o.end.toISOString(), o.monitorIds]).sort()).toEqual(
      [
        [once, "2027-01-01T11:00:00.000Z", [m]],
        [daily, "2027-01-01T11:00:00.000Z", [m]],
      ].sort(),
    );
    expect(await occurrencesEndedBetween(db, at("2027-01-01T11:00:00Z"), at("2027-01-01T11:30:00Z"))).toEqual([]);
  });
});

describe("occurrencesEndedBetween across time zones and years", () => {
  it("finds a Berlin daily window's end after the clocks change, a weekly one years on, and not the others", async ({
    db,
    window,
  }) => {
    const m = newId("monitor");
    const tz = async (id: string, timezone: string) => {
      await db.maintenanceWindow.update({ where: { id }, data: { timezone } });
      return id;
    };
    // 02:00–03:00 Berlin: 01:00–02:00Z in winter (first), 00:00–01:00Z once summer time began on 29 March.
    const berlin = await tz(
      await window([m], "2026-03-27T01:00:00Z", "2026-03-27T02:00:00Z", "daily"),
      "Europe/Berlin",
    );
    const weekly = await window([m], "2020-01-05T06:00:00Z", "2020-01-05T07:00:00Z", "weekly");
    const ids = (o: { windowId: string }[]) => o.map((x) => x.windowId);
    expect(ids(await occurrencesEndedBetween(db, at("2026-03-30T00:59:00Z"), at("2026-03-30T01:00:00Z")))).toEqual([
      berlin,
    ]);
    // The winter end time is no end any more that day.
    expect(ids(await occurrencesEndedBetween(db, at("2026-03-30T01:59:00Z"), at("2026-03-30T02:00:00Z")))).toEqual([]);
    // 2029-01-07 is a Sunday: the weekly window ends at 07:00Z, nine years of weeks on.
    expect(ids(await occurrencesEndedBetween(db, at("2029-01-07T06:50:00Z"), at("2029-01-07T07:00:00Z")))).toContain(
      weekly,
    );
    expect(
      ids(await occurrencesEndedBetween(db, at("2029-01-08T06:50:00Z"), at("2029-01-08T07:00:00Z"))),
    ).not.toContain(weekly);
  });
});
