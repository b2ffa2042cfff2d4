import { describe, expect, it } from "vitest";
import { checkSpecSchema } from "./spec.ts";

const base = { timeoutMs: 1_000 };

describe("host names in the check spec", () => {
  it.each([
    { type: "tcp", host: "😀".repeat(60), port: 80 },
    { type: "tcp", host: "a..b", port: 80 },
    { type: "tcp", host: "-db.example.com", port: 80 },
    { type: "tcp", host: "ex%41mple.com", port: 80 },
    { type: "ssl", host: `${"a".repeat(64)}.com` },
    { type: "ssl", host: "_x.example.com" },
    { type: "dns", host: "☃".repeat(60) },
    { type: "dns", host: "a b.example.com" },
    { type: "http", url: "https://a..b/" },
    { type: "http", url: `https://${"a".repeat(64)}.com/` },
  ])("refuses %j", (spec) => {
    expect(checkSpecSchema.safeParse({ ...base, ...spec }).success).toBe(false);
  });

  it("accepts names, record names, IDN (as ASCII) and IP literals", () => {
    const parse = (spec: Record<string, unknown>) => checkSpecSchema.parse({ ...base, ...spec }) as { host?: string };
    expect(parse({ type: "tcp", host: "DB.Example.com.", port: 5432 }).host).toBe("db.example.com");
    expect(parse({ type: "tcp", host: "[::1]", port: 5432 }).host).toBe("[::1]");
    expect(parse({ type: "ssl", host: "bücher.de" }).host).toBe("xn--bcher-kva.de");
    expect(parse({ type: "dns", host: "_dmarc.example.com" }).host).toBe("_dmarc.example.com");
    expect(parse({ type: "dns", host: "127.0.0.1" }).host).toBe("127.0.0.1");
    expect(checkSpecSchema.safeParse({ ...base, type: "http", url: "https://bücher.de/" }).success).toBe(true);
  });
});
