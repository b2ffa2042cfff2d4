import { parseEnv } from "@upfleet/config";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { checksRetainedFrom, retentionEnv, retentionPolicy } from "./policy.ts";

const policyOf = (env: Record<string, string>) => retentionPolicy(parseEnv(z.object(retentionEnv), env));

describe("retention policy", () => {
  it("has the documented defaults", () => {
    const policy = policyOf({});
    expect(policy.of("free")).toEqual({
      checkDays: 30,
      hourlyRollupDays: 90,
      dailyRollupDays: 730,
      pingsPerMonitor: 1000,
      pingDays: 30,
      deliveryDays: 30,
    });
    expect(policy.eventDays).toBe(7);
    expect(policy.longestCheckDays).toBe(30);
  });

  it("lets a plan override some limits and keeps the defaults for the rest and for unknown plans", () => {
    const policy = policyOf({
      RETENTION_CHECK_DAYS: "14",
      RETENTION_PLANS: JSON.stringify({ team: { check_days: 90, pings_per_monitor: 5000 } }),
    });
    expect(policy.of("team")).toMatchObject({ checkDays: 90, pingsPerMonitor: 5000, hourlyRollupDays: 90 });
    expect(policy.of("free").checkDays).toBe(14);
    expect(policy.of("nonexistent").checkDays).toBe(14);
    // Partitions are shared by every plan: they are kept for the longest.
    expect(policy.longestCheckDays).toBe(90);
  });

  it.for([
    ["RETENTION_PLANS", "{not json"],
    ["RETENTION_PLANS", JSON.stringify({ team: { check_days: 0 } })],
    ["RETENTION_PLANS", JSON.stringify({ team: { keep_forever: true } })],
    ["RETENTION_CHECK_DAYS", "-1"],
  ])("refuses %s=%s naming the variable", ([name, value]) => {
    expect(() => policyOf({ [name!]: value! })).toThrow(name);
  });

  it("puts the edge of raw history at the UTC midnight of the oldest retained day", () => {
    const now = new Date("2026-12-06T15:30:00Z");
    expect(checksRetainedFrom(policyOf({}).of("free"), now).toISOString()).toBe("2026-11-06T00:00:00.000Z");
  });
});
