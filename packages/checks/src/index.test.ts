import { createOutboundGuard } from "@upfleet/outbound";
import { afterAll, describe, expect, it } from "vitest";
import { type CheckSpec, checkResultSchema, checkSpecSchema, createCheckRunner } from "./index.ts";

describe("checkSpecSchema", () => {
  it("fills the API's defaults for an http spec", () => {
    expect(checkSpecSchema.parse({ type: "http", url: "https://example.com/health", timeoutMs: 10_000 })).toEqual({
      type: "http",
      url: "https://example.com/health",
      method: "GET",
      headers: {},
      body: null,
      timeoutMs: 10_000,
      expectedStatus: "200-299",
      keyword: null,
      keywordNegate: false,
      responseTimeThresholdMs: null,
      followRedirects: true,
      verifyTls: true,
    });
  });

  it("parses a tcp spec", () => {
    expect(checkSpecSchema.parse({ type: "tcp", host: "db.example", port: 5432, timeoutMs: 3_000 })).toEqual({
      type: "tcp",
      host: "db.example",
      port: 5432,
      timeoutMs: 3_000,
      responseTimeThresholdMs: null,
    });
  });

  it.each([
    [{ type: "http", url: "ftp://example.com", timeoutMs: 1000 }, "url"],
    [{ type: "http", url: "https://example.com", timeoutMs: 1000, expectedStatus: "2xx" }, "expectedStatus"],
    [{ type: "http", url: "https://example.com", timeoutMs: 1000, method: "TRACE" }, "method"],
    [{ type: "http", url: "https://example.com" }, "timeoutMs"],
    [{ type: "tcp", host: "db.example", port: 70_000, timeoutMs: 1000 }, "port"],
    [{ type: "tcp", host: "", port: 80, timeoutMs: 1000 }, "host"],
  ])("rejects %j at %s", (input, path) => {
    const result = checkSpecSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toContain(path);
  });

  it("rejects an unknown type", () => {
    expect(checkSpecSchema.safeParse({ type: "smtp", host: "x", timeoutMs: 1000 }).success).toBe(false);
  });
});

describe("createCheckRunner", () => {
  const runner = createCheckRunner({ guard: createOutboundGuard({ allowCidrs: ["127.0.0.0/8"] }) });
  afterAll(() => runner.close());

  it("turns a spec no executor knows into a down result instead of throwing", async () => {
    const result = await runner.run({ type: "smtp", timeoutMs: 1000 } as unknown as CheckSpec);
    expect(checkResultSchema.parse(result)).toMatchObject({ status: "down", error: "unknown" });
  });

  it("reports a caller's cancel before the start as a down result", async () => {
    const spec = checkSpecSchema.parse({ type: "tcp", host: "127.0.0.1", port: 9, timeoutMs: 1000 });
    const result = await runner.run(spec, AbortSignal.abort());
    expect(result).toMatchObject({ status: "down", error: "unknown" });
  });
});
