import { describe, expect, it } from "vitest";
import type { CheckJob } from "./jobs.ts";
import { byLane, laneOf, lanesOf } from "./lanes.ts";
import { checksStreamKey } from "./names.ts";

const check = (monitorId: string, type: "http" | "tcp" | "dns" | "ssl" | "api" | "ping") =>
  ({ monitorId, spec: { type } }) as CheckJob;

describe("check lanes", () => {
  it("put ping checks on the ICMP lane and every other type on the general one", () => {
    expect(laneOf(check("a", "ping"))).toBe("icmp");
    for (const type of ["http", "tcp", "dns", "ssl", "api"] as const) expect(laneOf(check("a", type))).toBe("general");
  });

  it("split a region's checks by lane, keeping their order", () => {
    const lanes = byLane([check("h1", "http"), check("p1", "ping"), check("t1", "tcp"), check("p2", "ping")]);
    expect([...lanes].map(([lane, checks]) => [lane, checks.map((c) => c.monitorId)])).toEqual([
      ["general", ["h1", "t1"]],
      ["icmp", ["p1", "p2"]],
    ]);
    expect(byLane([]).size).toBe(0);
  });

  it("have a worker that can send ICMP read both lanes, and one that cannot only the general lane", () => {
    expect(lanesOf({ icmp: true })).toEqual(["general", "icmp"]);
    expect(lanesOf({ icmp: false })).toEqual(["general"]);
  });

  it("name the ICMP lane's stream after the region's", () => {
    expect(checksStreamKey("upf", "eu")).toBe("upf:checks:eu");
    expect(checksStreamKey("upf", "eu", "icmp")).toBe("upf:checks:eu:icmp");
  });
});
