import { checkSpecSchema } from "@upfleet/checks/contracts";
import { ValidationError } from "@upfleet/errors";
import { generateKeyringText, parseKeyring } from "@upfleet/secrets";
import { describe, expect, it } from "vitest";
import { assertRunnable, SCHEDULED_TYPES, toCheckSpec } from "./check-spec.ts";
import { sealSettings } from "./credentials.ts";
import { CreateMonitorBody } from "./schemas.ts";
import { parseSettings } from "./settings.ts";

const ring = parseKeyring(generateKeyringText("test"));

type Source = Parameters<typeof toCheckSpec>[0];

/** The job spec of a monitor as the API would store it from `body` (credentials sealed). */
function specOf(body: Record<string, unknown>) {
  const input = CreateMonitorBody.parse(body) as Record<string, unknown>;
  const monitor = { type: input.type, settings: sealSettings(input, ring), timeoutMs: input.timeout_ms } as Source;
  return checkSpecSchema.parse(toCheckSpec(monitor, ring));
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
    expect(specOf({ type: "ssl", name: "cert", host: "example.com" })).toEqual({
      type: "ssl",
      host: "example.com",
      port: 443,
      timeoutMs: 10_000,
    });
    expect([...SCHEDULED_TYPES].sort()).toEqual(["api", "dns", "http", "ping", "ssl", "tcp"]);
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

  it.each([
    [{ url: "https://example.com/login" }, "example.com", 443],
    [{ url: "https://example.com:8443/" }, "example.com", 8443],
    [{ url: "https://[2001:db8::1]:8443/" }, "[2001:db8::1]", 8443],
    [{ host: "mail.example.com", port: 993 }, "mail.example.com", 993],
  ])("takes an ssl monitor's host and port from %j", (fields, host, port) => {
    expect(specOf({ type: "ssl", name: "cert", ...fields })).toMatchObject({ host, port });
  });

  it("carries an api monitor's steps, given as an array or as a string holding one", () => {
    const steps = [
      {
        name: "login",
        method: "POST",
        url: "https://api.example.com/login",
        body: '{"user":"probe"}',
        assertions: [{ type: "status", value: "200" }],
        extract: { token: "data.token" },
      },
      {
        name: "me",
        url: "https://api.example.com/me",
        headers: { authorization: "Bearer {{token}}" },
        assertions: [{ type: "json_path", path: "data.id", value: "42" }],
      },
    ];
    for (const api_check_steps of [steps, JSON.stringify(steps)]) {
      const spec = specOf({ type: "api", name: "api", api_check_steps });
      expect(spec).toMatchObject({ type: "api", timeoutMs: 10_000 });
      expect(spec.type === "api" && spec.steps).toEqual([
        { ...steps[0], headers: {} },
        { ...steps[1], method: "GET", body: null, extract: {} },
      ]);
    }
  });

  it("gives every dns, ssl and api setting the API accepts a spec the worker accepts", () => {
    const many = <T>(n: number, item: (i: number) => T) => Array.from({ length: n }, (_, i) => item(i));
    const longHost = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`; // 253
    const fullStep = {
      name: "n".repeat(100),
      method: "POST",
      url: `https://example.com/${"p".repeat(2000)}`,
      headers: Object.fromEntries(many(50, (i) => [`x-h${i}`, "v".repeat(8192)])),
      body: "b".repeat(65_536),
      assertions: [
        { type: "status", value: "2".repeat(200) },
        { type: "body_contains", value: "c".repeat(1024) },
        { type: "json_path", path: "p".repeat(256), value: "v".repeat(1024) },
        ...many(17, () => ({ type: "response_time", value: "999999" })),
      ],
      extract: Object.fromEntries(many(20, (i) => [`v${i}_${"x".repeat(60)}`, "p".repeat(256)])),
    };
    const candidates: Record<string, unknown>[] = [
      ...[
        "9.9.9.9",
        "9.9.9.9:65535",
        "[::1]",
        "[::ffff:1.2.3.4]:53",
        "[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65535",
        `[${"0:".repeat(40)}1]`,
        `[${"0000:".repeat(7)}0000]:00053`,
        "9.9.9.9:0",
      ].map((dns_resolver) => ({ type: "dns", name: "dns", host: longHost, dns_resolver })),
      ...["A", "AAAA", "MX", "TXT", "CNAME", "NS"].map((dns_record_type) => ({
        type: "dns",
        name: "dns",
        host: "[::1]",
        dns_record_type,
        dns_expected_value: "e".repeat(1024),
      })),
      ...[
        "https://example.com:0/",
        "https://example.com:65535/",
        "https://[2001:db8::1]/",
        `https://${longHost}/`,
        `https://${longHost}x/`,
        "https://ドメイン.テスト/",
        "https://user:pass@example.com:1/",
      ].map((url) => ({ type: "ssl", name: "cert", url })),
      { type: "ssl", name: "cert", host: longHost, port: 65535 },
      { type: "ssl", name: "cert", host: "[2001:db8::1]", port: 1, timeout_ms: 60_000 },
      { type: "api", name: "api", api_check_steps: many(20, () => fullStep) },
    ];
    const accepted = candidates.filter((body) => CreateMonitorBody.safeParse(body).success);
    for (const body of accepted) expect(() => specOf(body), JSON.stringify(body).slice(0, 120)).not.toThrow();
    expect(accepted.length).toBe(candidates.length - 4); // the long resolver, both port 0s, the 254-character host
  });

  it("gives a ping monitor's host and threshold to the worker, and no spec for a type the workers do not run", () => {
    const settings = { host: "example.com", response_time_threshold_ms: 200 };
    expect(toCheckSpec({ type: "ping", settings, timeoutMs: 1_000 }, ring)).toEqual({
      type: "ping",
      host: "example.com",
      timeoutMs: 1_000,
      responseTimeThresholdMs: 200,
    });
    expect(toCheckSpec({ type: "heartbeat", settings: {}, timeoutMs: 1_000 }, ring)).toBeNull();
  });

  it("gives the worker the real credentials that are stored sealed", () => {
    const headers = { Authorization: "Bearer a-long-api-token-5678", "X-Short": "abc" };
    expect(
      specOf({ type: "http", name: "site", url: "https://user:pa55@example.com/x", http_headers: headers }),
    ).toMatchObject({ url: "https://user:pa55@example.com/x", headers });
    const step = { name: "s", url: "https://u:p@api.example.com/{{id}}", headers: { "X-Key": "k".repeat(20) } };
    expect(specOf({ type: "api", name: "api", api_check_steps: [step] })).toMatchObject({
      steps: [{ url: step.url, headers: step.headers }],
    });
  });

  it("reads settings stored before encryption at rest as they are", () => {
    const settings = { url: "https://user:pa55@example.com/", http_headers: { A: "b" } };
    expect(toCheckSpec({ type: "http", settings, timeoutMs: 1_000 }, ring)).toMatchObject({
      url: settings.url,
      headers: settings.http_headers,
    });
  });

  it("refuses when written, naming the monitor's fields, settings whose check the worker would refuse", () => {
    // The API's own rules refuse all of these first (see the test above): assertRunnable keeps the two in step.
    const problems = (type: string, settings: Record<string, unknown>, timeoutMs = 1_000) => {
      try {
        assertRunnable(parseSettings(type, settings), timeoutMs);
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).details?.map((detail) => detail.path);
      }
    };
    expect(problems("tcp", { host: "a..b", tcp_port: 5432 })).toEqual(["host"]);
    expect(problems("ssl", { url: "https://a..b/", port: 443, ssl_expiry_alert_days: [7] })).toEqual(["url"]);
    expect(problems("http", { url: "https://example.com/" }, 0)).toEqual(["timeout_ms"]);
    expect(problems("api", { api_check_steps: [{ name: "s", url: "https://example.com/" }] }, 400_000)).toEqual([
      "timeout_ms",
    ]);
    expect(problems("ping", { host: "a..b" })).toEqual(["host"]);
    expect(problems("heartbeat", {})).toEqual([]);
  });
});
