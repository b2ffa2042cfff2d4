import { createOutboundGuard } from "@upfleet/outbound";
import type { Answer } from "dns-packet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CheckResult, checkResultSchema, checkSpecSchema, createCheckRunner } from "./index.ts";
import { parseResolverAddress } from "./resolver.ts";
import { type DnsReply, startDns, type TestDnsServer } from "./test-servers.ts";

const loopback = createCheckRunner({ guard: createOutboundGuard({ allowCidrs: ["127.0.0.0/8"] }) });
const strict = createCheckRunner({ guard: createOutboundGuard({ allowCidrs: [] }) });

const zone: Record<string, Answer[]> = {
  "A site.test": [
    { type: "A", name: "site.test", ttl: 60, data: "93.184.215.10" },
    { type: "A", name: "site.test", ttl: 60, data: "93.184.215.11" },
  ],
  "AAAA site.test": [{ type: "AAAA", name: "site.test", ttl: 60, data: "2606:4700::6810:84e5" }],
  "MX site.test": [
    { type: "MX", name: "site.test", ttl: 60, data: { preference: 10, exchange: "Mail.Site.test" } },
    { type: "MX", name: "site.test", ttl: 60, data: { preference: 20, exchange: "backup.site.test" } },
  ],
  // One record sent in two chunks, as records over 255 bytes are.
  "TXT site.test": [{ type: "TXT", name: "site.test", ttl: 60, data: ["v=spf1 include:mail.test ", "-all"] }],
  "CNAME www.site.test": [{ type: "CNAME", name: "www.site.test", ttl: 60, data: "site.test" }],
  "NS site.test": [{ type: "NS", name: "site.test", ttl: 60, data: "ns1.site.test" }],
  "A intranet.test": [
    { type: "A", name: "intranet.test", ttl: 60, data: "93.184.215.12" },
    { type: "A", name: "intranet.test", ttl: 60, data: "10.20.30.40" },
  ],
  "AAAA intranet.test": [{ type: "AAAA", name: "intranet.test", ttl: 60, data: "fd00::7" }],
  // Public names whose records point inside the network.
  "CNAME alias.test": [{ type: "CNAME", name: "alias.test", ttl: 60, data: "db.corp.internal" }],
  "CNAME bare.test": [{ type: "CNAME", name: "bare.test", ttl: 60, data: "fileserver" }],
  "NS zone.test": [
    { type: "NS", name: "zone.test", ttl: 60, data: "ns1.site.test" },
    { type: "NS", name: "zone.test", ttl: 60, data: "ns.cluster.local" },
  ],
  "MX mail.test": [
    { type: "MX", name: "mail.test", ttl: 60, data: { preference: 10, exchange: "mx.site.test" } },
    { type: "MX", name: "mail.test", ttl: 60, data: { preference: 20, exchange: "exchange.home.arpa" } },
  ],
  "MX ip.test": [{ type: "MX", name: "ip.test", ttl: 60, data: { preference: 10, exchange: "10.1.2.3" } }],
  "MX nomail.test": [{ type: "MX", name: "nomail.test", ttl: 60, data: { preference: 0, exchange: "." } }],
  "TXT mixed.test": [
    { type: "TXT", name: "mixed.test", ttl: 60, data: "v=spf1 ip4:10.20.0.0/16 include:_spf.corp.internal -all" },
    { type: "TXT", name: "mixed.test", ttl: 60, data: "site-verification=abc123" },
    { type: "TXT", name: "mixed.test", ttl: 60, data: "v=spf1 ip6:fd00::1 -all" },
  ],
  "TXT hidden.test": [{ type: "TXT", name: "hidden.test", ttl: 60, data: "host=wiki.lan" }],
  "A corp.intranet": [{ type: "A", name: "corp.intranet", ttl: 60, data: "93.184.215.12" }],
};

let server: TestDnsServer;
beforeAll(async () => {
  server = await startDns(({ type, name }): DnsReply => {
    if (name === "missing.test") return "nxdomain";
    if (name === "silent.test") return "silent";
    return zone[`${type} ${name}`] ?? [];
  });
});
afterAll(async () => {
  loopback.close();
  strict.close();
  await server.close();
});

async function check(
  host: string,
  recordType: string,
  extra: Record<string, unknown> = {},
  runner = loopback,
): Promise<CheckResult> {
  const spec = checkSpecSchema.parse({
    type: "dns",
    host,
    recordType,
    resolver: server.address,
    timeoutMs: 2_000,
    ...extra,
  });
  return checkResultSchema.parse(await runner.run(spec));
}

describe("dns check", () => {
  it.each([
    ["A", "site.test", ["93.184.215.10", "93.184.215.11"]],
    ["AAAA", "site.test", ["2606:4700::6810:84e5"]],
    [
      "MX",
      "site.test",
      [
        { priority: 10, exchange: "Mail.Site.test" },
        { priority: 20, exchange: "backup.site.test" },
      ],
    ],
    ["TXT", "site.test", ["v=spf1 include:mail.test -all"]],
    ["CNAME", "www.site.test", ["site.test"]],
    ["NS", "site.test", ["ns1.site.test"]],
  ])("is up with the %s records of %s in its details", async (recordType, host, records) => {
    const result = await check(host, recordType);
    expect(result).toMatchObject({ status: "up", error: null, httpStatus: null });
    expect(result.details).toMatchObject({ recordType, resolver: server.address, records });
    expect(result.responseMs).toBeGreaterThanOrEqual(0);
    expect(result.timings.total).toBe(result.responseMs);
  });

  it.each([
    ["A", "site.test", "93.184.215.11"],
    ["AAAA", "site.test", "2606:4700::6810:84E5"],
    ["MX", "site.test", "mail.site.test."],
    ["TXT", "site.test", "v=spf1 include:mail.test -all"],
    ["CNAME", "www.site.test", "SITE.test."],
    ["NS", "site.test", "ns1.site.test"],
  ])("is up when some %s record of %s equals %j", async (recordType, host, expectedValue) => {
    expect(await check(host, recordType, { expectedValue })).toMatchObject({ status: "up" });
  });

  it.each([
    ["A", "93.184.215.99"],
    ["MX", "10 mail.site.test"],
    ["TXT", "V=SPF1 include:mail.test -all"],
  ])("is down when no %s record equals %j", async (recordType, expectedValue) => {
    const result = await check("site.test", recordType, { expectedValue });
    expect(result).toMatchObject({ status: "down", error: "dns_value_mismatch" });
    expect(result.message).toContain(expectedValue);
    expect((result.details.records as unknown[]).length).toBeGreaterThan(0);
  });

  it("is down with dns_no_records on NXDOMAIN", async () => {
    const result = await check("missing.test", "A");
    expect(result).toMatchObject({ status: "down", error: "dns_no_records", details: { code: "ENOTFOUND" } });
    expect(result.message).toContain("NXDOMAIN");
  });

  it("is down with dns_no_records when the name has no record of that type", async () => {
    const result = await check("www.site.test", "TXT");
    expect(result).toMatchObject({ status: "down", error: "dns_no_records" });
  });

  it("times out within timeoutMs when the resolver never answers", async () => {
    const started = performance.now();
    const result = await check("silent.test", "A", { timeoutMs: 400 });
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ status: "down", error: "timeout" });
    expect(elapsed).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeLessThan(400 + 300);
  });

  it.each(["A", "AAAA"])(
    "is blocked_address, listing no record and naming no address, when %s records name a non-public one",
    async (type) => {
      const result = await check("intranet.test", type);
      // As an HTTP check of a name resolving inside the network: refused, saying only that.
      expect(result).toMatchObject({
        status: "down",
        error: "blocked_address",
        message: `intranet.test has ${type} records pointing to a non-public address`,
      });
      expect(result.details).not.toHaveProperty("records");
      expect(JSON.stringify(result)).not.toMatch(/10\.20\.30\.40|fd00|93\.184/);
    },
  );

  it.each([
    ["CNAME", "alias.test", "db.corp.internal"],
    ["CNAME", "bare.test", "fileserver"],
    ["NS", "zone.test", "cluster.local"],
    ["MX", "mail.test", "home.arpa"],
    ["MX", "ip.test", "10.1.2.3"],
  ])("is blocked_address when %s records of %s point inside, showing none", async (type, host, inside) => {
    const result = await check(host, type);
    expect(result).toMatchObject({ status: "down", error: "blocked_address" });
    expect(result.message).toBe(`${host} has ${type} records pointing to a non-public address or an internal name`);
    expect(result.details).not.toHaveProperty("records");
    expect(JSON.stringify(result)).not.toContain(inside);
  });

  it("takes a null MX (the domain takes no mail) as a record pointing nowhere, not inside", async () => {
    expect(await check("nomail.test", "MX")).toMatchObject({ status: "up" });
  });

  it("withholds TXT records quoting non-public addresses or internal names, and does not match them", async () => {
    const result = await check("mixed.test", "TXT");
    expect(result).toMatchObject({ status: "up" });
    expect(result.details).toMatchObject({ records: ["site-verification=abc123"], recordCount: 1, withheldRecords: 2 });
    expect(JSON.stringify(result)).not.toMatch(/10\.20|corp\.internal|fd00/);
    const probe = await check("mixed.test", "TXT", { expectedValue: "v=spf1 ip6:fd00::1 -all" });
    expect(probe).toMatchObject({ status: "down", error: "dns_value_mismatch" });
    const only = await check("hidden.test", "TXT");
    expect(only).toMatchObject({
      status: "down",
      error: "dns_no_records",
      details: { records: [], withheldRecords: 1 },
    });
    expect(JSON.stringify(only)).not.toContain("wiki.lan");
  });

  it.each(["intranet", "db.internal", "corp.intranet"])(
    "never asks for the internal name %s, with or without a resolver of the monitor's",
    async (host) => {
      const before = server.questions.length;
      // corp.intranet is under no internal suffix: it is asked for, which proves the others were refused.
      const result = await check(host, "A");
      if (host === "corp.intranet") {
        expect(result).toMatchObject({ status: "up" });
        return;
      }
      expect(result).toMatchObject({
        status: "down",
        error: "blocked_address",
        message: expect.stringMatching(/internal name/),
      });
      expect(server.questions.length).toBe(before);
      const viaSystem = await check(host, "TXT", { resolver: null });
      expect(viaSystem).toMatchObject({ status: "down", error: "blocked_address" });
    },
  );

  it("refuses a loopback resolver unless the allow-list opens it, without sending it a query", async () => {
    const before = server.questions.length;
    const result = await check("site.test", "A", {}, strict);
    expect(result).toMatchObject({ status: "down", error: "blocked_address" });
    expect(result.message).toContain("127.0.0.1");
    expect(server.questions.length).toBe(before);
  });

  it.each(["10.0.0.1:53", "[::1]", "169.254.169.254"])("refuses the private resolver %s", async (resolver) => {
    expect(await check("site.test", "A", { resolver }, strict)).toMatchObject({
      status: "down",
      error: "blocked_address",
    });
  });
});

describe("parseResolverAddress", () => {
  it.each([
    ["9.9.9.9", { ip: "9.9.9.9", port: 53 }],
    ["9.9.9.9:5353", { ip: "9.9.9.9", port: 5353 }],
    ["[2620:fe::fe]", { ip: "2620:fe::fe", port: 53 }],
    ["[2620:fe::fe]:853", { ip: "2620:fe::fe", port: 853 }],
  ])("reads %s", (text, expected) => {
    expect(parseResolverAddress(text)).toEqual(expected);
  });

  it.each(["dns.google", "9.9.9.9:0", "9.9.9.9:70000", "2620:fe::fe", "999.1.1.1"])("refuses %s", (text) => {
    expect(parseResolverAddress(text)).toBeNull();
  });
});
