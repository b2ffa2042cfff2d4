import { describe, expect, it } from "vitest";
import { hostNameProblem } from "./index.ts";

describe("hostNameProblem", () => {
  it.each([
    "example.com",
    "Example.COM.",
    "a.b-c.d",
    "xn--bcher-kva.de",
    "bücher.de",
    "localhost",
    `${"a".repeat(63)}.com`,
    `${"a.".repeat(126)}a`, // 253 characters
  ])("accepts %j", (name) => {
    expect(hostNameProblem(name)).toBeNull();
  });

  it.each([
    ["", /empty/],
    // 60 characters, but DNS would send their ASCII form: one label of 240 and 66 characters.
    ["😀".repeat(60), /at most 63/],
    ["☃".repeat(60), /at most 63/],
    [Array.from({ length: 20 }, () => "😀".repeat(10)).join("."), /at most 253/],
    [`${"a.".repeat(127)}a`, /at most 253/],
    [`${"a".repeat(64)}.com`, /63/],
    ["a..b", /empty label/],
    ["-a.com", /dash/],
    ["a-.com", /dash/],
    ["foo_bar.com", /letters, digits and dashes/],
    ["ex%41mple.com", /host name/],
    ["a b.com", /host name/],
    ["host:80", /host name/],
    ["[::1]", /host name/],
    ["127.0.0.1/8", /host name/],
    ["a\u0000b.com", /host name/],
  ])("refuses %j", (name, message) => {
    expect(hostNameProblem(name)).toMatch(message);
  });

  it("allows underscores only in DNS record names", () => {
    expect(hostNameProblem("_dmarc.example.com", { recordName: true })).toBeNull();
    expect(hostNameProblem("_sip._tcp.example.com", { recordName: true })).toBeNull();
    expect(hostNameProblem("_dmarc.example.com")).not.toBeNull();
  });

  it("accepts IP literals only when asked to", () => {
    for (const ip of ["127.0.0.1", "::1", "[::1]", "2606:4700::1"]) {
      expect(hostNameProblem(ip, { ipLiterals: true })).toBeNull();
    }
    expect(hostNameProblem("::1")).not.toBeNull();
  });
});
