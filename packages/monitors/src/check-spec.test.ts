import { checkSpecSchema } from "@upfleet/checks/contracts";
import { describe, expect, it } from "vitest";
import { SCHEDULED_TYPES, toCheckSpec } from "./check-spec.ts";
import { CreateMonitorBody } from "./schemas.ts";

type Source = Parameters<typeof toCheckSpec>[0];

/** The job spec of a monitor as the API would store it from `body`. */
function specOf(body: Record<string, unknown>) {
  const input = CreateMonitorBody.parse(body) as Record<string, unknown>;
  const monitor = { type: input.type, settings: input, timeoutMs: input.timeout_ms } as Source;
  return checkSpecSchema.parse(toCheckSpec(monitor));
}

describe("toCheckSpec", () => {
  it("gives every scheduled type a spec the worker accepts, with the API's defaults", () => {
    expect(specOf({ type: "http", name: "site", url: "https://example.com" })).toMatchObject({
      type: "http",
      url: "https://example.com",
      timeoutMs: 10_000,
    });
    expect(specOf({ type: "tcp", name: "db", host: "db.example.com", tcp_port: 5432 })).toMatchObject({
      type: "tcp",
      host: "db.example.com",
      port: 5432,
    });
    expect(specOf({ type: "dns", name: "dns", host: "example.com" })).toEqual({
      type: "dns",
      host: "example.com",
      recordType: "A",
      expectedValue: null,
      resolver: null,
      timeoutMs: 10_000,
    });
    expect([...SCHEDULED_TYPES].sort()).toEqual(["dns", "http", "tcp"]);
  });

  it("carries a dns monitor's record type, expected value and resolver", () => {
    const spec = specOf({
      type: "dns",
      name: "mail",
      host: "example.com",
      dns_record_type: "MX",
      dns_expected_value: "mx.example.com",
      dns_resolver: "[2620:fe::fe]:53",
      timeout_ms: 3_000,
    });
    expect(spec).toMatchObject({
      recordType: "MX",
      expectedValue: "mx.example.com",
      resolver: "[2620:fe::fe]:53",
      timeoutMs: 3_000,
    });
  });

  it("has no spec for a type the workers do not run", () => {
    expect(toCheckSpec({ type: "ping", settings: { host: "example.com" }, timeoutMs: 1_000 })).toBeNull();
  });
});
