import { describe, expect, it } from "vitest";
import { type HeartbeatSchedule, missedAt, nextExpectedAt, scheduleOf, zoneOffsetMinutes } from "./schedule.ts";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

function cron(expression: string, timezone: string, graceMinutes = 0): HeartbeatSchedule {
  return scheduleOf({
    intervalSeconds: 0,
    settings: { heartbeat_schedule: expression, heartbeat_timezone: timezone, heartbeat_grace_minutes: graceMinutes },
  });
}

/** The expected pings of a job that pings `delayMs` after each expected time, starting from `fromIso`. */
function expectedChain(schedule: HeartbeatSchedule, fromIso: string, count: number, delayMs = 4_000): string[] {
  const out: string[] = [];
  let last = at(fromIso);
  for (let i = 0; i < count; i++) {
    const next = nextExpectedAt(schedule, last);
    out.push(iso(next));
    last = next + delayMs;
  }
  return out;
}

describe("scheduleOf", () => {
  it("reads the settings, with fractional grace minutes and the defaults of API.md", () => {
    expect(scheduleOf({ intervalSeconds: 60, settings: {} })).toEqual({
      periodMs: 60_000,
      cron: null,
      timezone: "UTC",
      graceMs: 300_000,
      maxRuntimeMs: null,
      minRuntimeMs: null,
    });
    expect(
      scheduleOf({
        intervalSeconds: 0,
        settings: {
          heartbeat_schedule: "*/5 * * * *",
          heartbeat_timezone: "Europe/Paris",
          heartbeat_grace_minutes: 0.5,
          heartbeat_max_runtime_seconds: 90,
          heartbeat_min_runtime_seconds: 2,
        },
      }),
    ).toEqual({
      periodMs: 0,
      cron: "*/5 * * * *",
      timezone: "Europe/Paris",
      graceMs: 30_000,
      maxRuntimeMs: 90_000,
      minRuntimeMs: 2_000,
    });
  });
});

describe("a period", () => {
  it("expects the next ping one period after the last success, and misses it after the grace", () => {
    const schedule = scheduleOf({ intervalSeconds: 600, settings: { heartbeat_grace_minutes: 1.5 } });
    expect(iso(nextExpectedAt(schedule, at("2026-03-29T00:59:30.250Z")))).toBe("2026-03-29T01:09:30.250Z");
    expect(iso(missedAt(schedule, at("2026-03-29T00:59:30.250Z")))).toBe("2026-03-29T01:11:00.250Z");
  });
});

describe("a cron expression", () => {
  it("expects the next occurrence after the last success, in the monitor's zone", () => {
    const schedule = cron("0 9 * * 1-5", "Asia/Kolkata", 10);
    // Friday 09:00:03 IST → Monday 09:00 IST (03:30 UTC).
    expect(iso(nextExpectedAt(schedule, at("2026-03-06T03:30:03Z")))).toBe("2026-03-09T03:30:00.000Z");
    expect(iso(missedAt(schedule, at("2026-03-06T03:30:03Z")))).toBe("2026-03-09T03:40:00.000Z");
  });

  it("never expects the occurrence the last success was at (a ping exactly on time)", () => {
    const schedule = cron("*/15 * * * *", "UTC");
    expect(iso(nextExpectedAt(schedule, at("2026-05-01T10:15:00.000Z")))).toBe("2026-05-01T10:30:00.000Z");
    expect(iso(nextExpectedAt(schedule, at("2026-05-01T10:14:59.999Z")))).toBe("2026-05-01T10:15:00.000Z");
  });
});

describe("across DST changes", () => {
  it("knows the zones' offsets on both sides of the change", () => {
    expect(zoneOffsetMinutes("Europe/Berlin", at("2026-03-29T00:59:00Z"))).toBe(60);
    expect(zoneOffsetMinutes("Europe/Berlin", at("2026-03-29T01:00:00Z"))).toBe(120);
    expect(zoneOffsetMinutes("America/New_York", at("2026-11-01T05:59:00Z"))).toBe(-240);
    expect(zoneOffsetMinutes("America/New_York", at("2026-11-01T06:00:00Z"))).toBe(-300);
    expect(zoneOffsetMinutes("Asia/Kolkata", at("2026-11-01T06:00:00Z"))).toBe(330);
  });

  it("Europe/Berlin spring forward: a 02:30 job is expected at 03:30 CEST on the day 02:30 does not exist", () => {
    // 2026-03-29 02:00 CET → 03:00 CEST (01:00 UTC).
    expect(expectedChain(cron("30 2 * * *", "Europe/Berlin"), "2026-03-27T01:30:04Z", 3)).toEqual([
      "2026-03-28T01:30:00.000Z", // 02:30 CET
      "2026-03-29T01:30:00.000Z", // 03:30 CEST: the shifted occurrence
      "2026-03-30T00:30:00.000Z", // 02:30 CEST
    ]);
  });

  it("Europe/Berlin spring forward: a job cron runs as the clocks jump (03:00 CEST) answers that day's occurrence", () => {
    const schedule = cron("30 2 * * *", "Europe/Berlin");
    // cronie and Vixie cron run jobs of the skipped hour right after the jump.
    expect(iso(nextExpectedAt(schedule, at("2026-03-29T01:00:07Z")))).toBe("2026-03-30T00:30:00.000Z");
    // A ping before the jump (01:59 CET) belongs to no run of this job: the shifted occurrence is still due.
    expect(iso(nextExpectedAt(schedule, at("2026-03-29T00:59:00Z")))).toBe("2026-03-29T01:30:00.000Z");
  });

  it("Europe/Berlin spring forward: an hourly job has no 02:00 that day", () => {
    expect(expectedChain(cron("0 * * * *", "Europe/Berlin"), "2026-03-28T23:00:02Z", 3)).toEqual([
      "2026-03-29T00:00:00.000Z", // 01:00 CET
      "2026-03-29T01:00:00.000Z", // 03:00 CEST
      "2026-03-29T02:00:00.000Z", // 04:00 CEST
    ]);
  });

  it("Europe/Berlin fall back: an hourly job runs in both 02:00s, the repeated hour included", () => {
    // 2026-10-25 03:00 CEST → 02:00 CET (01:00 UTC).
    expect(expectedChain(cron("0 * * * *", "Europe/Berlin"), "2026-10-24T23:00:02Z", 4)).toEqual([
      "2026-10-25T00:00:00.000Z", // 02:00 CEST
      "2026-10-25T01:00:00.000Z", // 02:00 CET, the repeat
      "2026-10-25T02:00:00.000Z", // 03:00 CET
      "2026-10-25T03:00:00.000Z",
    ]);
  });

  it("Europe/Berlin fall back: a 02:30 job runs once, at the first 02:30, then keeps its local time", () => {
    expect(expectedChain(cron("30 2 * * *", "Europe/Berlin"), "2026-10-24T00:30:05Z", 2)).toEqual([
      "2026-10-25T00:30:00.000Z", // 02:30 CEST
      "2026-10-26T01:30:00.000Z", // 02:30 CET
    ]);
  });

  it("America/New_York spring forward: a 02:00 job is expected at 03:00 EDT, then at 02:00 EDT", () => {
    // 2026-03-08 02:00 EST → 03:00 EDT (07:00 UTC).
    expect(expectedChain(cron("0 2 * * *", "America/New_York"), "2026-03-07T07:00:05Z", 3)).toEqual([
      "2026-03-08T07:00:00.000Z",
      "2026-03-09T06:00:00.000Z",
      "2026-03-10T06:00:00.000Z",
    ]);
  });

  it("America/New_York fall back: a 01:30 job runs at the first 01:30 (EDT), then 01:30 EST", () => {
    // 2026-11-01 02:00 EDT → 01:00 EST (06:00 UTC).
    expect(expectedChain(cron("30 1 * * *", "America/New_York"), "2026-10-31T05:30:05Z", 2)).toEqual([
      "2026-11-01T05:30:00.000Z",
      "2026-11-02T06:30:00.000Z",
    ]);
  });

  it("a period is plain elapsed time, whatever the clocks do", () => {
    const schedule = scheduleOf({ intervalSeconds: 3_600, settings: { heartbeat_timezone: "Europe/Berlin" } });
    expect(iso(nextExpectedAt(schedule, at("2026-03-29T00:30:00Z")))).toBe("2026-03-29T01:30:00.000Z");
  });
});
