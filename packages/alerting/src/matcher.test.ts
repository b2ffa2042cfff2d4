import type { RoutingRule } from "@upfleet/channels";
import { describe, expect, it } from "vitest";
import { ruleMatches } from "./matcher.ts";

const rule = (fields: Partial<Pick<RoutingRule, "events" | "monitorIds" | "tags">>) => ({
  events: null,
  monitorIds: null,
  tags: null,
  ...fields,
});
const down = { type: "monitor.down", monitorId: "mon_a", tags: ["prod", "eu"] };

describe("ruleMatches", () => {
  it("matches everything when no filter is set, events about no monitor included", () => {
    expect(ruleMatches(rule({}), down)).toBe(true);
    expect(ruleMatches(rule({}), { type: "export.completed", monitorId: null, tags: [] })).toBe(true);
  });

  it("filters on the event type", () => {
    const r = rule({ events: ["monitor.down", "monitor.up"] });
    expect(ruleMatches(r, down)).toBe(true);
    expect(ruleMatches(r, { ...down, type: "monitor.degraded" })).toBe(false);
  });

  it("filters on the monitor, and never matches an event about no monitor", () => {
    const r = rule({ monitorIds: ["mon_a", "mon_b"] });
    expect(ruleMatches(r, down)).toBe(true);
    expect(ruleMatches(r, { ...down, monitorId: "mon_c" })).toBe(false);
    expect(ruleMatches(r, { type: "incident.created", monitorId: null, tags: [] })).toBe(false);
  });

  it("matches a monitor carrying any one of the rule's tags", () => {
    expect(ruleMatches(rule({ tags: ["staging", "eu"] }), down)).toBe(true);
    expect(ruleMatches(rule({ tags: ["staging"] }), down)).toBe(false);
    expect(ruleMatches(rule({ tags: ["prod"] }), { ...down, tags: [] })).toBe(false);
    expect(ruleMatches(rule({ tags: ["prod"] }), { type: "incident.created", monitorId: null, tags: ["prod"] })).toBe(
      false,
    );
  });

  it("needs every filter it sets to match", () => {
    const r = rule({ events: ["monitor.down"], monitorIds: ["mon_a"], tags: ["prod"] });
    expect(ruleMatches(r, down)).toBe(true);
    expect(ruleMatches(r, { ...down, type: "monitor.up" })).toBe(false);
    expect(ruleMatches(r, { ...down, monitorId: "mon_b" })).toBe(false);
    expect(ruleMatches(r, { ...down, tags: ["eu"] })).toBe(false);
  });

  it("reads empty lists as all, as they are stored", () => {
    expect(ruleMatches({ events: [], monitorIds: [], tags: [] }, down)).toBe(true);
  });
});
