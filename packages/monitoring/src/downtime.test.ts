import { describe, expect, it } from "vitest";
import { coveredMs, downSpans, slaFigures, subtractSpans } from "./downtime.ts";

const H = 3_600_000;

describe("downSpans", () => {
  it("follows the status from the one at the start through each change, clipped to the range", () => {
    const changes = [
      { at: 2 * H, to: "down" as const },
      { at: 3 * H, to: "up" as const },
      { at: 9 * H, to: "down" as const },
    ];
    expect(downSpans("up", changes, 0, 10 * H)).toEqual([
      { start: 2 * H, end: 3 * H },
      { start: 9 * H, end: 10 * H },
    ]);
    // Down before the range started, up inside it.
    expect(downSpans("down", [{ at: H, to: "up" }], 0, 10 * H)).toEqual([{ start: 0, end: H }]);
    // Changes after the range are not read.
    expect(downSpans("up", [{ at: 11 * H, to: "down" }], 0, 10 * H)).toEqual([]);
  });

  it("counts degraded and pending as not down", () => {
    expect(downSpans("degraded", [{ at: H, to: "pending" }], 0, 2 * H)).toEqual([]);
  });
});

describe("subtractSpans and coveredMs", () => {
  it("cuts the excluded time out, at the edges and in the middle", () => {
    const left = subtractSpans(
      [{ start: 0, end: 10 }],
      [
        { start: -5, end: 2 },
        { start: 4, end: 6 },
        { start: 9, end: 20 },
      ],
    );
    expect(left).toEqual([
      { start: 2, end: 4 },
      { start: 6, end: 9 },
    ]);
    expect(coveredMs(left, 0, 10)).toBe(5);
    expect(coveredMs(left, 3, 7)).toBe(2);
  });
});

describe("slaFigures", () => {
  it("is the share of the observed time not down", () => {
    const day = { start: 0, end: 24 * H };
    const changes = [
      { at: 6 * H, to: "down" as const },
      { at: 7 * H, to: "up" as const },
    ];
    expect(slaFigures("up", changes, day, [])).toEqual({ uptimePercent: 95.8333, downtimeMs: H });
  });

  it("leaves maintenance out of both the downtime and the time measured", () => {
    const day = { start: 0, end: 24 * H };
    const changes = [
      { at: 6 * H, to: "down" as const },
      { at: 8 * H, to: "up" as const },
    ];
    // The second hour down was in a 4-hour window: 1 h down over 20 h measured.
    expect(slaFigures("up", changes, day, [{ start: 7 * H, end: 11 * H }])).toEqual({
      uptimePercent: 95,
      downtimeMs: H,
    });
  });

  it("has no uptime when nothing was observed outside maintenance", () => {
    expect(slaFigures("down", [], { start: 0, end: H }, [{ start: 0, end: H }])).toEqual({
      uptimePercent: null,
      downtimeMs: 0,
    });
  });
});
