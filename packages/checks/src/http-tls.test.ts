import { createInternalNames, createOutboundGuard } from "@upfleet/outbound";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CheckResult, checkResultSchema, checkSpecSchema, createCheckRunner } from "./index.ts";
import { startHttps, type TestServer } from "./test-servers.ts";

const runner = createCheckRunner({
  guard: createOutboundGuard({
    allowCidrs: ["127.0.0.0/8", "::1/128"],
    internalNames: createInternalNames({ allowSuffixes: ["localhost"] }),
  }),
});
let server: TestServer; // self-signed certificate from test-fixtures/

beforeAll(async () => {
  server = await startHttps((_req, res) => res.end("secure hello"));
});
afterAll(async () => {
  runner.close();
  await server.close();
});

async function check(verifyTls: boolean, host = "127.0.0.1"): Promise<CheckResult> {
  const spec = checkSpecSchema.parse({
    type: "http",
    url: `https://${host}:${server.port}/`,
    timeoutMs: 5_000,
    verifyTls,
    keyword: "secure",
  });
  return checkResultSchema.parse(await runner.run(spec));
}

describe("https check against a self-signed certificate", () => {
  it("is down with error tls when verifying", async () => {
    const result = await check(true);
    expect(result).toMatchObject({ status: "down", error: "tls", httpStatus: null });
    expect(result.details.code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
  });

  it("is up when verification is off, with a tls phase", async () => {
    const result = await check(false, "localhost");
    expect(result).toMatchObject({ status: "up", httpStatus: 200, error: null });
    expect(result.timings.tls).toBeGreaterThanOrEqual(0);
  });

  it("keeps verifying after a non-verifying check pooled a connection to the same host", async () => {
    expect((await check(false)).status).toBe("up");
    expect(await check(true)).toMatchObject({ status: "down", error: "tls" });
    expect((await check(false)).status).toBe("up");
  });
});
