import { describe, expect, it } from "vitest";
import { channelsFor, isStale, policiesFor, type RuleFields } from "./routing.ts";

const rule = (fields: Partial<RuleFields>): RuleFields => ({
  events: [],
  monitorIds: [],
  tags: [],
  channelIds: [],
  escalationPolicyId: null,
  ...fields,
});
const down = { type: "monitor.down", monitorId: "mon_1", tags: ["prod", "eu"] };

describe("channelsFor", () => {
  it("unions the matching rules' usable channels, each once, sorted", () => {
    const rules = [
      rule({ channelIds: ["chn_b", "chn_a"] }),
      rule({ events: ["monitor.down"], channelIds: ["chn_a", "chn_c", "chn_gone"] }),
      rule({ events: ["monitor.up"], channelIds: ["chn_d"] }),
    ];
    const usable = new Set(["chn_a", "chn_b", "chn_c", "chn_d"]);
    expect(channelsFor(rules, down, usable)).toEqual(["chn_a", "chn_b", "chn_c"]);
    expect(channelsFor([], down, usable)).toEqual([]);
  });
});

describe("policiesFor", () => {
  it("takes the monitor's policy and those of rules taking the incident's opening", () => {
    const rules = [
      rule({ events: ["incident.created"], escalationPolicyId: "esc_a" }),
      rule({ events: ["monitor.down"], monitorIds: ["mon_1"], escalationPolicyId: "esc_b" }),
      rule({ events: ["monitor.up"], escalationPolicyId: "esc_c" }),
      rule({ tags: ["staging"], escalationPolicyId: "esc_d" }),
      rule({ escalationPolicyId: "esc_a" }),
    ];
    expect(policiesFor(rules, { monitorId: "mon_1", tags: ["prod"] }, "esc_m")).toEqual(["esc_a", "esc_b", "esc_m"]);
  });

  it("gives a manual incident without a monitor only incident.created rules", () => {
    const rules = [
      rule({ events: ["monitor.down"], escalationPolicyId: "esc_b" }),
      rule({ events: ["incident.created"], escalationPolicyId: "esc_a" }),
    ];
    expect(policiesFor(rules, { monitorId: null, tags: [] }, null)).toEqual(["esc_a"]);
  });
});

describe("isStale", () => {
  it("is an event more than a day old", () => {
    const now = new Date("2026-03-25T10:00:00.000Z");
    expect(isStale(new Date("2026-03-24T10:00:00.000Z"), now)).toBe(false);
    expect(isStale(new Date("2026-03-24T09:59:59.999Z"), now)).toBe(true);
  });
});
