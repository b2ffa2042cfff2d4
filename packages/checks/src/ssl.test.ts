import { createInternalNames, createOutboundGuard } from "@upfleet/outbound";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CheckResult, checkResultSchema, checkSpecSchema, createCheckRunner } from "./index.ts";
import { closedPort, selfSignedLocalhost, startTcp, startTls, type TestServer, testCa } from "./test-servers.ts";

const ca = testCa();
// The certificates are issued for localhost, an internal name the guard opens only when told to.
const allowLoopback = createOutboundGuard({
  allowCidrs: ["127.0.0.0/8", "::1/128"],
  internalNames: createInternalNames({ allowSuffixes: ["localhost"] }),
});
const runner = createCheckRunner({ guard: allowLoopback, trustedCa: [ca.ca] });
const strict = createCheckRunner({ guard: createOutboundGuard({ allowCidrs: [] }), trustedCa: [ca.ca] });
// Node's own roots, as the worker runs it: the test CA means nothing there.
const production = createCheckRunner({ guard: allowLoopback });

const servers: Record<string, TestServer> = {};
beforeAll(async () => {
  const pairs = {
    valid: ca.issue(["localhost", "127.0.0.1"], 90),
    soon: ca.issue(["localhost"], 5),
    expired: ca.issue(["localhost"], -1),
    wrongHost: ca.issue(["other.example"], 90),
    selfSigned: selfSignedLocalhost(),
  };
  for (const [name, pair] of Object.entries(pairs)) servers[name] = await startTls(pair);
  servers.silent = await startTcp(() => {});
});
afterAll(async () => {
  for (const r of [runner, strict, production]) r.close();
  await Promise.all(Object.values(servers).map((s) => s.close()));
  ca.dispose();
});

async function check(server: string, host = "localhost", using = runner, timeoutMs = 3_000): Promise<CheckResult> {
  const spec = checkSpecSchema.parse({ type: "ssl", host, port: servers[server]!.port, timeoutMs });
  return checkResultSchema.parse(await using.run(spec));
}

describe("ssl check", () => {
  it("is up on a valid certificate, with its days left, expiry, issuer and subject", async () => {
    const result = await check("valid");
    expect(result).toMatchObject({ status: "up", error: null, httpStatus: null });
    expect(result.details).toMatchObject({
      days_left: 89,
      issuer: "CN=Upfleet Test CA",
      subject: "CN=localhost",
      ip: "127.0.0.1",
    });
    const validTo = Date.parse(result.details.valid_to as string);
    expect(Math.abs(validTo - (Date.now() + 90 * 86_400_000))).toBeLessThan(60_000);
    expect(result.details.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(result.responseMs).toBeGreaterThanOrEqual(0);
  });

  it("checks an IP literal against the certificate's IP names", async () => {
    expect(await check("valid", "127.0.0.1")).toMatchObject({ status: "up" });
  });

  it("stays up on a certificate about to expire, saying how soon", async () => {
    const result = await check("soon");
    expect(result).toMatchObject({ status: "up", details: { days_left: 4 } });
  });

  it.each([
    ["expired", "ssl_expired", "CERT_HAS_EXPIRED"],
    ["selfSigned", "ssl_self_signed", "DEPTH_ZERO_SELF_SIGNED_CERT"],
    ["wrongHost", "ssl_hostname_mismatch", "ERR_TLS_CERT_ALTNAME_INVALID"],
  ])("is down on the %s certificate with %s", async (server, error, code) => {
    const result = await check(server);
    expect(result).toMatchObject({ status: "down", error, details: { code } });
    expect(result.details.valid_to).toEqual(expect.any(String));
    expect(result.message).toContain(code);
  });

  it("is down with ssl_invalid when the chain leads to no trusted root", async () => {
    const result = await check("valid", "localhost", production);
    expect(result).toMatchObject({ status: "down", error: "ssl_invalid" });
  });

  it("is blocked_address for loopback unless the allow-list opens it", async () => {
    for (const host of ["localhost", "127.0.0.1"]) {
      expect(await check("valid", host, strict)).toMatchObject({ status: "down", error: "blocked_address" });
    }
  });

  it("is blocked_address for an internal name, and for a name resolving inside without naming the address", async () => {
    const inside = createCheckRunner({
      guard: createOutboundGuard({
        allowCidrs: [],
        resolver: (_host, _options, callback) => callback(null, [{ address: "10.20.30.40", family: 4 }]),
      }),
    });
    const named = await check("valid", "vault.internal", inside);
    expect(named).toMatchObject({
      status: "down",
      error: "blocked_address",
      message: expect.stringMatching(/internal name/),
    });
    const resolved = await check("valid", "vault.example.com", inside);
    expect(resolved).toMatchObject({
      status: "down",
      error: "blocked_address",
      message: "Refusing to connect to vault.example.com: it resolves to a non-public address",
    });
    expect(JSON.stringify(resolved)).not.toContain("10.20.30.40");
    inside.close();
  });

  it("is connection_refused on a closed port", async () => {
    const spec = checkSpecSchema.parse({ type: "ssl", host: "localhost", port: await closedPort(), timeoutMs: 2_000 });
    expect(await runner.run(spec)).toMatchObject({ status: "down", error: "connection_refused" });
  });

  it("times out within timeoutMs when the server never answers the handshake", async () => {
    const started = performance.now();
    const result = await check("silent", "localhost", runner, 400);
    expect(result).toMatchObject({ status: "down", error: "timeout" });
    expect(performance.now() - started).toBeLessThan(400 + 300);
  });
});
