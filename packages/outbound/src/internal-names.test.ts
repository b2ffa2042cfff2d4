import { describe, expect, it } from "vitest";
import { createInternalNames, parseSuffixList } from "./index.ts";

const builtIn = createInternalNames();

describe("internal names", () => {
  it.each([
    "intranet",
    "db",
    "localhost",
    "LOCALHOST",
    "localhost.",
    "ｌｏｃａｌｈｏｓｔ",
    "printer.local",
    "Printer.Local.",
    "metadata.google.internal",
    "foo.internal.",
    "router.home.arpa",
    "api.default.svc.cluster.local",
    "nas.lan",
    "",
    "not a name",
  ])("refuses %j", (host) => {
    expect(builtIn.isInternal(host)).toBe(true);
  });

  it.each([
    "example.com",
    "status.example.com.",
    "internal.example.com",
    "local.example.com",
    "mylan",
    "site.test",
    "xn--bcher-kva.de",
    "bücher.de",
    // IP literals are not names: the address guard decides them.
    "127.0.0.1",
    "10.0.0.1",
    "::1",
    "[::1]",
    // IDNA reads it as 127.0.0.1: an address, refused by the address guard when it resolves there.
    "2130706433",
  ])("lets %j through", (host) => {
    const expected = host === "mylan"; // single label, so still refused
    expect(builtIn.isInternal(host)).toBe(expected);
  });

  it("refuses the operator's own suffixes too", () => {
    const rule = createInternalNames({ extraSuffixes: ["corp.example.com", "SVC"] });
    expect(rule.isInternal("wiki.corp.example.com")).toBe(true);
    expect(rule.isInternal("corp.example.com.")).toBe(true);
    expect(rule.isInternal("a.svc")).toBe(true);
    expect(rule.isInternal("notcorp.example.com")).toBe(false);
  });

  it("opens exactly what the operator allows, single labels included", () => {
    const rule = createInternalNames({ allowSuffixes: ["localhost", "corp.internal", "intranet"] });
    expect(rule.isInternal("localhost")).toBe(false);
    expect(rule.isInternal("LocalHost.")).toBe(false);
    expect(rule.isInternal("wiki.corp.internal")).toBe(false);
    expect(rule.isInternal("intranet")).toBe(false);
    expect(rule.isInternal("other.internal")).toBe(true);
    expect(rule.isInternal("db")).toBe(true);
  });
});

describe("parseSuffixList", () => {
  it("splits, trims and normalises", () => {
    expect(parseSuffixList(" Corp.Example.com., .svc ,,")).toEqual(["corp.example.com", "svc"]);
    expect(parseSuffixList("")).toEqual([]);
  });

  it.each(["bad suffix", "a..b", "-x.com", "x/y"])("names the invalid entry %j", (entry) => {
    expect(() => parseSuffixList(`ok.example,${entry}`)).toThrow(`"${entry}"`);
  });
});
