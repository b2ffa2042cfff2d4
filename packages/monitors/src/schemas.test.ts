import { describe, expect, it } from "vitest";
import { CreateMonitorBody } from "./schemas.ts";

function problems(body: Record<string, unknown>): string[] {
  const result = CreateMonitorBody.safeParse(body);
  if (result.success) return [];
  return result.error.issues.map((i) => (i.code === "unrecognized_keys" ? i.keys.join(",") : i.path.join(".")));
}

const http = { type: "http", name: "Site", url: "https://example.com" };
const step = { name: "login", url: "https://example.com/login" };
const api = (overrides: Record<string, unknown>, steps = 1) => ({
  type: "api",
  name: "flow",
  api_check_steps: Array.from({ length: steps }, () => ({ ...step, ...overrides })),
});
const many = <T>(n: number, item: (i: number) => T) => Array.from({ length: n }, (_, i) => item(i));

describe("CreateMonitorBody", () => {
  it("fills the defaults of API.md", () => {
    const parsed = CreateMonitorBody.parse(http) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      interval_seconds: 60,
      timeout_ms: 10_000,
      confirmations: 1,
      recovery_confirmations: 1,
      http_method: "GET",
      http_expected_status: "200-299",
      follow_redirects: true,
      verify_tls: true,
      paused: false,
      tags: [],
    });
  });

  it.each([
    [{ ...http, interval_seconds: 9 }, "interval_seconds"],
    [{ ...http, interval_seconds: 86_401 }, "interval_seconds"],
    [{ ...http, url: "ftp://example.com" }, "url"],
    [{ ...http, url: "javascript:alert(1)" }, "url"],
    [{ ...http, http_headers: { "X-A": 1 } }, "http_headers.X-A"],
    [{ ...http, http_keyword: "k".repeat(1024 * 1024) }, "http_keyword"],
    [{ ...http, http_expected_status: "2xx" }, "http_expected_status"],
    [{ ...http, tcp_port: 80 }, "tcp_port"],
    [{ ...http, timeout_ms: 61_000, interval_seconds: 60 }, "timeout_ms"],
    [{ type: "tcp", name: "db", host: "db.example.com", tcp_port: 70_000 }, "tcp_port"],
    [{ type: "tcp", name: "db", host: "db.example.com" }, "tcp_port"],
    [{ type: "heartbeat", name: "cron", heartbeat_schedule: "* * *" }, "heartbeat_schedule"],
    [{ type: "heartbeat", name: "cron", heartbeat_schedule: "61 * * * *" }, "heartbeat_schedule"],
    [
      { type: "heartbeat", name: "cron", interval_seconds: 60, heartbeat_timezone: "Mars/Olympus" },
      "heartbeat_timezone",
    ],
    [{ type: "heartbeat", name: "cron", interval_seconds: 60, heartbeat_grace_minutes: -1 }, "heartbeat_grace_minutes"],
    [
      { type: "heartbeat", name: "cron", interval_seconds: 60, heartbeat_grace_minutes: 43_201 },
      "heartbeat_grace_minutes",
    ],
    [
      {
        type: "heartbeat",
        name: "cron",
        interval_seconds: 60,
        heartbeat_min_runtime_seconds: 10,
        heartbeat_max_runtime_seconds: 5,
      },
      "heartbeat_min_runtime_seconds",
    ],
    [{ type: "heartbeat", name: "cron" }, "interval_seconds"],
    [{ type: "ssl", name: "cert" }, "url"],
    [api({ extract: Object.fromEntries(many(21, (i) => [`v${i}`, "data.id"])) }), "api_check_steps.0.extract"],
    [api({ assertions: many(21, () => ({ type: "status", value: "200" })) }), "api_check_steps.0.assertions"],
    [api({ headers: Object.fromEntries(many(51, (i) => [`x-h${i}`, "1"])) }), "api_check_steps.0.headers"],
    [api({}, 21), "api_check_steps"],
    [{ type: "dns", name: "dns", host: "example.com", dns_resolver: `[${"0:".repeat(40)}1]` }, "dns_resolver"],
    [{ type: "dns", name: "dns", host: "example.com", dns_resolver: "[::1:2:3:4:5:6:7:8:9]" }, "dns_resolver"],
    [{ type: "dns", name: "dns", host: "example.com", dns_resolver: "999.1.1.1" }, "dns_resolver"],
    [{ type: "dns", name: "dns", host: "example.com", dns_resolver: "9.9.9.9:0" }, "dns_resolver"],
    [{ type: "dns", name: "dns", host: "example.com", dns_resolver: "9.9.9.9:70000" }, "dns_resolver"],
    [{ type: "dns", name: "dns", host: "example.com", dns_resolver: " 9.9.9.9" }, "dns_resolver"],
    [{ type: "ssl", name: "cert", url: "https://example.com:0/" }, "url"],
    [{ type: "ssl", name: "cert", url: "https://example.com:00/" }, "url"],
    [{ type: "ssl", name: "cert", url: "https://[::1]:0/" }, "url"],
    [{ type: "ssl", name: "cert", url: `https://${"a".repeat(60)}.${"b".repeat(200)}.com/` }, "url"],
    [{ type: "ssl", name: "cert", url: "not a url" }, "url"],
    [{ type: "carrier-pigeon", name: "x" }, "type"],
    // Host names as host names (the worker's rule): labels of 1–63, no empty label, no edge dash, ≤ 253.
    [{ type: "tcp", name: "db", host: "a..b", tcp_port: 5432 }, "host"],
    [{ type: "tcp", name: "db", host: "-db.example.com", tcp_port: 5432 }, "host"],
    [{ type: "tcp", name: "db", host: `${"a".repeat(64)}.example.com`, tcp_port: 5432 }, "host"],
    [{ type: "tcp", name: "db", host: "_db.example.com", tcp_port: 5432 }, "host"],
    [{ type: "tcp", name: "db", host: "[::1", tcp_port: 5432 }, "host"],
    [{ type: "dns", name: "dns", host: "a..example.com" }, "host"],
    [{ type: "ssl", name: "cert", host: "x-.example.com" }, "host"],
    [{ ...http, url: `https://${"😀".repeat(60)}.com/` }, "url"],
    [{ ...http, url: "https://a..b/" }, "url"],
    [{ type: "ssl", name: "cert", url: `https://${"a".repeat(64)}.com/` }, "url"],
    [api({ url: `https://${"😀".repeat(60)}.com/login` }), "api_check_steps.0.url"],
    [{ type: "dns", name: "dns", host: "example.com", dns_resolver: "☃".repeat(60) }, "dns_resolver"],
  ])("rejects %j at %s", (body, path) => {
    expect(problems(body)).toContain(path);
  });

  it("accepts every type with its own fields", () => {
    for (const body of [
      http,
      { type: "tcp", name: "db", host: "db.example.com", tcp_port: 5432 },
      { type: "dns", name: "dns", host: "example.com", dns_record_type: "MX" },
      { type: "dns", name: "dns", host: "example.com", dns_resolver: "9.9.9.9:5353" },
      {
        type: "dns",
        name: "dns",
        host: "example.com",
        dns_resolver: "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535",
      },
      { type: "ssl", name: "cert", url: "https://example.com:8443/" },
      { type: "ping", name: "ping", host: "1.1.1.1" },
      { type: "ssl", name: "cert", host: "example.com" },
      { type: "dns", name: "dmarc", host: "_dmarc.example.com", dns_record_type: "TXT" },
      { type: "tcp", name: "db", host: "[::1]", tcp_port: 5432 },
      { type: "http", name: "idn", url: "https://bücher.de/" },
      api({ url: "https://{{host}}/login" }),
      { type: "heartbeat", name: "cron", heartbeat_schedule: "*/5 * * * *", heartbeat_timezone: "Europe/Paris" },
      { type: "api", name: "flow", api_check_steps: '[{"name":"login","url":"https://example.com/login"}]' },
      api(
        {
          extract: Object.fromEntries(many(20, (i) => [`v${i}`, "data.id"])),
          assertions: many(20, () => ({ type: "status", value: "200" })),
          headers: Object.fromEntries(many(50, (i) => [`x-h${i}`, "1"])),
        },
        20,
      ),
    ]) {
      expect(problems(body)).toEqual([]);
    }
  });
});
