import { createInternalNames, createOutboundGuard, type Resolver } from "@upfleet/outbound";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CheckResult, checkResultSchema, checkSpecSchema, createCheckRunner } from "./index.ts";
import { closedPort, startTcp, type TestServer } from "./test-servers.ts";

const loopback = createCheckRunner({
  guard: createOutboundGuard({
    allowCidrs: ["127.0.0.0/8", "::1/128"],
    internalNames: createInternalNames({ allowSuffixes: ["localhost"] }),
  }),
});
const strict = createCheckRunner({ guard: createOutboundGuard({ allowCidrs: [] }) });
// A resolver that never answers: the check must still end at its deadline.
const silent: Resolver = () => {};
const hangingDns = createCheckRunner({ guard: createOutboundGuard({ allowCidrs: ["127.0.0.0/8"], resolver: silent }) });
// One that answers after 60 ms, so the connect time reliably exceeds a small threshold.
const slow: Resolver = (_host, _options, callback) =>
  void setTimeout(() => callback(null, [{ address: "127.0.0.1", family: 4 }]), 60);
const slowDns = createCheckRunner({ guard: createOutboundGuard({ allowCidrs: ["127.0.0.0/8"], resolver: slow }) });

let server: TestServer;
let server6: TestServer;
beforeAll(async () => {
  server = await startTcp((socket) => socket.end());
  server6 = await startTcp((socket) => socket.end(), "::1");
});
afterAll(async () => {
  for (const runner of [loopback, strict, hangingDns, slowDns]) runner.close();
  await Promise.all([server.close(), server6.close()]);
});

async function check(
  runner: ReturnType<typeof createCheckRunner>,
  host: string,
  port: number,
  extra: Record<string, unknown> = {},
): Promise<CheckResult> {
  const spec = checkSpecSchema.parse({ type: "tcp", host, port, timeoutMs: 2_000, ...extra });
  return checkResultSchema.parse(await runner.run(spec));
}

describe("tcp check", () => {
  it("is up when the port accepts, with the connect time as response time", async () => {
    const result = await check(loopback, "127.0.0.1", server.port);
    expect(result).toMatchObject({ status: "up", error: null, httpStatus: null });
    expect(result.responseMs).toBeGreaterThanOrEqual(0);
    expect(result.timings.total).toBe(result.responseMs);
    expect(result.details).toMatchObject({ ip: "127.0.0.1" });
  });

  it("resolves names and accepts bracketed IPv6", async () => {
    expect(await check(loopback, "localhost", server.port)).toMatchObject({ status: "up" });
    expect(await check(loopback, "[::1]", server6.port)).toMatchObject({ status: "up" });
  });

  it("is degraded above the response time threshold, dns included", async () => {
    const result = await check(slowDns, "slow.example", server.port, { responseTimeThresholdMs: 20 });
    expect(result).toMatchObject({ status: "degraded", error: null });
    expect(result.responseMs).toBeGreaterThanOrEqual(55);
    expect(result.timings.dns).toBeGreaterThanOrEqual(55);
    expect(await check(slowDns, "slow.example", server.port, { responseTimeThresholdMs: 2_000 })).toMatchObject({
      status: "up",
    });
  });

  it("is connection_refused on a closed port", async () => {
    const port = await closedPort();
    expect(await check(loopback, "127.0.0.1", port)).toMatchObject({
      status: "down",
      error: "connection_refused",
      responseMs: null,
    });
  });

  it.each(["127.0.0.1", "localhost", "::1", "[::ffff:127.0.0.1]"])(
    "is blocked_address for %s when loopback is not allowed",
    async (host) => {
      const port = host.includes("::1") ? server6.port : server.port;
      expect(await check(strict, host, port)).toMatchObject({ status: "down", error: "blocked_address" });
    },
  );

  it.each(["intranet", "db.internal", "DB.Internal.", "printer.local", "localhost"])(
    "is blocked_address for the internal name %s, unless the operator opens it, without resolving it",
    async (host) => {
      const asked: string[] = [];
      const resolver: Resolver = (name, _options, callback) => {
        asked.push(name);
        callback(null, [{ address: "127.0.0.1", family: 4 }]);
      };
      const guarded = (allowSuffixes: string[]) =>
        createCheckRunner({
          guard: createOutboundGuard({
            allowCidrs: ["127.0.0.0/8"],
            resolver,
            internalNames: createInternalNames({ allowSuffixes }),
          }),
        });
      const closed = guarded([]);
      const result = await check(closed, host, server.port);
      expect(result).toMatchObject({ status: "down", error: "blocked_address" });
      expect(result.message).toMatch(/internal name/);
      expect(asked).toEqual([]);
      const opened = guarded(["internal", "local", "localhost", "intranet"]);
      expect(await check(opened, host, server.port)).toMatchObject({ status: "up" });
      closed.close();
      opened.close();
    },
  );

  it("says a name resolves to a non-public address without saying which", async () => {
    const inside: Resolver = (_name, _options, callback) => callback(null, [{ address: "10.20.30.40", family: 4 }]);
    const runner = createCheckRunner({ guard: createOutboundGuard({ allowCidrs: [], resolver: inside }) });
    const result = await check(runner, "intranet.example.com", server.port);
    runner.close();
    expect(result).toMatchObject({
      status: "down",
      error: "blocked_address",
      message: "Refusing to connect to intranet.example.com: it resolves to a non-public address",
    });
    expect(JSON.stringify(result)).not.toMatch(/10\.20\.30\.40|private/);
  });

  it("times out within timeoutMs when the name never resolves", async () => {
    const started = performance.now();
    const result = await check(hangingDns, "stuck.example", server.port, { timeoutMs: 400 });
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ status: "down", error: "timeout" });
    expect(elapsed).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeLessThan(400 + 300);
  });
});
