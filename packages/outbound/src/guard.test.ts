import { describe, expect, it } from "vitest";
import { createOutboundGuard, parseCidrList } from "./index.ts";

const strict = createOutboundGuard({ allowCidrs: [] });

// [address, what it is]: every form the API's "Outbound safety" promises to refuse. The reason the guard
// gives is ipaddr.js' range name (which its versions refine), prefixed by the form for embedded IPv4.
const refused: [string, string][] = [
  ["127.0.0.1", "loopback"],
  ["127.255.255.254", "loopback"],
  ["::1", "loopback"],
  ["10.0.0.1", "private"],
  ["172.16.0.1", "private"],
  ["172.31.255.255", "private"],
  ["192.168.1.1", "private"],
  ["fc00::1", "uniqueLocal"],
  ["fd12:3456::1", "uniqueLocal"],
  ["169.254.169.254", "linkLocal"],
  ["169.254.0.1", "linkLocal"],
  ["fe80::1", "linkLocal"],
  ["fe80::1%eth0", "linkLocal"],
  ["febf::1", "linkLocal"],
  ["100.64.0.1", "carrierGradeNat"],
  ["100.127.255.255", "carrierGradeNat"],
  ["0.0.0.0", "unspecified"],
  ["0.1.2.3", "unspecified"],
  ["::", "unspecified"],
  ["224.0.0.1", "multicast"],
  ["239.255.255.250", "multicast"],
  ["ff02::1", "multicast"],
  ["ff0e::1", "multicast"],
  ["255.255.255.255", "broadcast"],
  ["192.0.0.8", "reserved"],
  ["192.0.2.1", "reserved"],
  ["198.51.100.7", "reserved"],
  ["203.0.113.9", "reserved"],
  ["198.18.0.1", "reserved"],
  ["198.19.255.255", "reserved"],
  ["240.0.0.1", "reserved"],
  ["2001:db8::1", "reserved"],
  ["2001:2::1", "benchmarking"],
  ["3fff::1", "documentation"],
  ["100::1", "discard"],
  ["fec0::1", "site-local (deprecated)"],
  ["64:ff9b:1::1", "local-use NAT64"],
  ["4000::1", "unallocated, outside 2000::/3"],
  ["::ffff:0:7f00:1", "rfc6145"],
  // IPv6 forms that embed an IPv4 are judged on that IPv4.
  ["::ffff:127.0.0.1", "IPv4-mapped loopback"],
  ["::ffff:7f00:1", "IPv4-mapped loopback"],
  ["::ffff:10.0.0.1", "IPv4-mapped private"],
  ["::ffff:169.254.169.254", "IPv4-mapped linkLocal"],
  ["::ffff:0.0.0.0", "IPv4-mapped unspecified"],
  ["64:ff9b::7f00:1", "NAT64 loopback"],
  ["64:ff9b::10.0.0.1", "NAT64 private"],
  ["2002:7f00:1::", "6to4 loopback"],
  ["2002:a9fe:a9fe::1", "6to4 linkLocal"],
  ["2001:0:4136:e378:8000:63bf:80ff:fffe", "Teredo loopback"], // client 127.0.0.1 (bits inverted)
  ["2001:0:a00:1::f7f7:f7f7", "Teredo private"], // relay server 10.0.0.1
  // Hex form: ipaddr.js reads "::a.b.c.d" as IPv4-mapped, which is judged the same way.
  ["::7f00:1", "IPv4-compatible loopback"],
  ["::a00:1", "IPv4-compatible private"],
  ["::127.0.0.1", "IPv4-mapped loopback"],
];

const allowed = [
  "8.8.8.8",
  "1.1.1.1",
  "93.184.216.34",
  "11.0.0.1",
  "172.32.0.1",
  "100.128.0.1",
  "169.255.0.1",
  "192.169.0.1",
  "2606:4700:4700::1111",
  "2001:4860:4860::8888",
  "::ffff:8.8.8.8",
  "64:ff9b::808:808",
  "2002:808:808::1",
  "2001:0:4136:e378::f7f7:f7f7", // Teredo, relay 65.54.227.120, client 8.8.8.8
  "::808:808",
];

describe("the address policy", () => {
  it.each(refused)("refuses %s (%s)", (ip, what) => {
    expect(strict.isAllowedAddress(ip)).toBe(false);
    const reason = strict.refusalReason(ip);
    expect(reason).toEqual(expect.any(String));
    const form = /^(IPv4-mapped|IPv4-compatible|NAT64|6to4|Teredo) /.exec(what)?.[0];
    if (form) expect(reason).toBe(what);
  });

  it.each(allowed)("allows public %s", (ip) => {
    expect(strict.refusalReason(ip)).toBeNull();
    expect(strict.isAllowedAddress(ip)).toBe(true);
  });

  it.each(["example.com", "", "127.1", "0x7f000001", "2130706433", "[::1"])("refuses the non-IP %j", (text) => {
    expect(strict.isAllowedAddress(text)).toBe(false);
  });
});

describe("allow CIDRs", () => {
  const loopback = createOutboundGuard({ allowCidrs: ["127.0.0.0/8", "::1/128"] });

  it.each([
    ["127.0.0.1", true],
    ["127.0.0.2", true],
    ["::1", true],
    ["::ffff:127.0.0.1", true],
    ["64:ff9b::127.0.0.1", true],
    ["10.0.0.1", false],
    ["169.254.169.254", false],
    ["::2", false],
    ["8.8.8.8", true],
  ] as const)("with loopback opened, %s → %s", (ip, expected) => {
    expect(loopback.isAllowedAddress(ip)).toBe(expected);
  });

  it("opens exactly the listed range, a bare address being one host", () => {
    const lan = createOutboundGuard({ allowCidrs: ["10.0.0.0/8", "192.168.1.5", "fd00::/8"] });
    expect(lan.isAllowedAddress("10.1.2.3")).toBe(true);
    expect(lan.isAllowedAddress("::ffff:10.1.2.3")).toBe(true);
    expect(lan.isAllowedAddress("192.168.1.5")).toBe(true);
    expect(lan.isAllowedAddress("192.168.1.6")).toBe(false);
    expect(lan.isAllowedAddress("fd12::1")).toBe(true);
    expect(lan.isAllowedAddress("fc00::1")).toBe(false);
    expect(lan.isAllowedAddress("127.0.0.1")).toBe(false);
  });

  it("rejects an invalid allow-list entry at construction", () => {
    expect(() => createOutboundGuard({ allowCidrs: ["10.0.0.0/40"] })).toThrow(/10\.0\.0\.0\/40/);
  });
});

describe("parseCidrList", () => {
  it("splits, trims and normalises", () => {
    expect(parseCidrList("127.0.0.0/8, ::1/128")).toEqual(["127.0.0.0/8", "::1/128"]);
    expect(parseCidrList(" 10.0.0.0/8 ,,FD00:0::/8 ")).toEqual(["10.0.0.0/8", "fd00::/8"]);
    expect(parseCidrList("192.168.1.5")).toEqual(["192.168.1.5/32"]);
  });

  it("treats an empty value as no CIDRs", () => {
    expect(parseCidrList("")).toEqual([]);
    expect(parseCidrList(" , ")).toEqual([]);
  });

  it.each(["nope", "10.0.0.0/33", "::/129", "127.1/8", "10.0.0.0/8/8", "10.0.0.0/-1", "10.0.0.0/"])(
    "names the invalid entry %j",
    (entry) => {
      expect(() => parseCidrList(`127.0.0.0/8,${entry}`)).toThrow(`"${entry}"`);
    },
  );
});

describe("assertLiteralAllowed", () => {
  it("throws a BlockedAddressError for refused literals, bracketed or not", () => {
    for (const host of ["127.0.0.1", "[::1]", "::1", "169.254.169.254", "[::ffff:127.0.0.1]"]) {
      expect(() => strict.assertLiteralAllowed(host)).toThrow(expect.objectContaining({ code: "EBLOCKED" }));
    }
  });

  it("lets public literals and names through (names are checked at lookup)", () => {
    expect(() => strict.assertLiteralAllowed("8.8.8.8")).not.toThrow();
    expect(() => strict.assertLiteralAllowed("[2606:4700:4700::1111]")).not.toThrow();
    expect(() => strict.assertLiteralAllowed("localhost")).not.toThrow();
  });
});
