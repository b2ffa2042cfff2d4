import { checkSpecSchema } from "@upfleet/checks/contracts";
import type { Monitor } from "@upfleet/db";
import { generateKeyringText, parseKeyring } from "@upfleet/secrets";
import { describe, expect, it } from "vitest";
import { sealSettings } from "./credentials.ts";
import { toScheduleEntry } from "./schedule-sync.ts";

const ring = parseKeyring(generateKeyringText("k1"));
const otherRing = parseKeyring(generateKeyringText("k2"));

function monitor(type: Monitor["type"], settings: Monitor["settings"]): Monitor {
  const at = new Date("2026-01-01T00:00:00Z");
  return {
    id: "mon_1",
    seq: 1,
    organizationId: "org_1",
    key: null,
    name: "m",
    type,
    settings,
    intervalSeconds: 60,
    timeoutMs: 5_000,
    regions: ["eu"],
    tags: [],
    confirmations: 1,
    recoveryConfirmations: 1,
    escalationPolicyId: null,
    paused: false,
    heartbeatToken: null,
    status: "pending",
    failStreak: 0,
    passStreak: 0,
    lastRoundAt: null,
    lastCheckedAt: null,
    lastStatus: null,
    lastResponseMs: null,
    lastError: null,
    heartbeatLastPingAt: null,
    heartbeatDeadlineAt: null,
    createdAt: at,
    updatedAt: at,
    deletedAt: null,
  };
}

describe("toScheduleEntry", () => {
  it("carries the monitor's check as a spec the worker accepts", () => {
    const { spec } = toScheduleEntry(monitor("tcp", { host: "db.example.com", tcp_port: 5432 }), ring);
    expect(checkSpecSchema.parse(spec)).toEqual({
      type: "tcp",
      host: "db.example.com",
      port: 5432,
      timeoutMs: 5_000,
      responseTimeThresholdMs: null,
    });
  });

  it.each([
    ["settings that do not parse", { host: "db.example.com", tcp_port: "5432" }, "tcp_port"],
    ["settings the worker would refuse", { host: "a..b", tcp_port: 5432 }, "host"],
  ])("schedules a row with %s as an unrunnable check naming the field", (_, settings, field) => {
    const { spec } = toScheduleEntry(monitor("tcp", settings), ring);
    expect(checkSpecSchema.parse(spec)).toMatchObject({ type: "unrunnable", reason: expect.stringContaining(field) });
  });

  it("schedules a monitor whose credentials no key opens as an unrunnable check saying so", () => {
    const sealed = sealSettings({ url: "https://example.com/", http_headers: { A: "Bearer t0ken-1234" } }, otherRing);
    // As the column returns it: JSON.
    const { spec } = toScheduleEntry(monitor("http", JSON.parse(JSON.stringify(sealed))), ring);
    expect(spec).toMatchObject({ type: "unrunnable", reason: expect.stringContaining("cannot be decrypted") });
  });
});
