import { createInternalNames, createOutboundGuard } from "@upfleet/outbound";
import { afterAll, describe, expect, it } from "vitest";
import { type CheckResult, checkResultSchema, checkSpecSchema, createCheckRunner, icmpProblem } from "./index.ts";
import { parsePingOutput } from "./ping-output.ts";

// These tests run the system's iputils ping: the worker's image has it, as must the machine running them.
const loopback = createCheckRunner({
  guard: createOutboundGuard({
    allowCidrs: ["127.0.0.0/8", "::1/128", "198.51.100.0/24"],
    internalNames: createInternalNames({ allowSuffixes: ["localhost"] }),
  }),
});
const strict = createCheckRunner({ guard: createOutboundGuard({ allowCidrs: [] }) });
afterAll(() => {
  for (const runner of [loopback, strict]) runner.close();
});

async function check(runner: typeof loopback, host: string, extra: Record<string, unknown> = {}): Promise<CheckResult> {
  const spec = checkSpecSchema.parse({ type: "ping", host, timeoutMs: 2_000, ...extra });
  return checkResultSchema.parse(await runner.run(spec));
}

describe("ping check", () => {
  it("is up on loopback, with round-trip times and loss in details", async () => {
    const result = await check(loopback, "127.0.0.1");
    expect(result).toMatchObject({ status: "up", error: null, httpStatus: null });
    expect(result.details).toMatchObject({ ip: "127.0.0.1", packetsSent: 3, packetsReceived: 3, lossPercent: 0 });
    const { rttMinMs, rttAvgMs, rttMaxMs } = result.details as Record<string, number>;
    expect(rttMinMs).toBeGreaterThanOrEqual(0);
    expect(rttAvgMs).toBeGreaterThanOrEqual(rttMinMs as number);
    expect(rttMaxMs).toBeGreaterThanOrEqual(rttAvgMs as number);
    expect(result.responseMs).toBe(Math.round(rttAvgMs as number));
  });

  it("pings the address a name resolved to, IPv6 included", async () => {
    expect((await check(loopback, "localhost")).details).toMatchObject({
      ip: expect.stringMatching(/^(127\.0\.0\.1|::1)$/),
    });
    expect(await check(loopback, "[::1]")).toMatchObject({ status: "up", details: { ip: "::1" } });
  });

  it("refuses a private address without pinging it", async () => {
    const result = await check(strict, "127.0.0.1");
    expect(result).toMatchObject({ status: "down", error: "blocked_address", details: { code: "EBLOCKED" } });
    expect(result.details).not.toHaveProperty("packetsSent");
    expect(await check(strict, "db")).toMatchObject({ status: "down", error: "blocked_address" });
  });

  it("is down when nothing answers, as a timeout or an unreachable host", async () => {
    // TEST-NET-2 is never routed: no reply at all, or a router's ICMP error, depending on the network.
    const result = await check(loopback, "198.51.100.1", { timeoutMs: 1_000 });
    expect(result).toMatchObject({ status: "down", responseMs: null });
    expect(["timeout", "host_unreachable"]).toContain(result.error);
    expect(result.details).toMatchObject({ ip: "198.51.100.1", packetsReceived: 0, lossPercent: 100 });
  });
});

describe("ping output", () => {
  it("reads the summary, and a router's unreachable answer", () => {
    const answered = parsePingOutput(
      "64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.012 ms\n\n--- 127.0.0.1 ping statistics ---\n" +
        "3 packets transmitted, 2 received, 33.3333% packet loss, time 406ms\nrtt min/avg/max/mdev = 0.012/0.028/0.037/0.011 ms\n",
    );
    expect(answered).toEqual({
      transmitted: 3,
      received: 2,
      lossPercent: 33.3333,
      rtt: { min: 0.012, avg: 0.028, max: 0.037 },
      icmpError: null,
    });
    const unreachable = parsePingOutput(
      "From 192.0.2.2 icmp_seq=1 Destination Host Unreachable\n\n--- 192.0.2.77 ping statistics ---\n" +
        "2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 3046ms\n",
    );
    expect(unreachable).toMatchObject({ received: 0, rtt: null, icmpError: "Destination Host Unreachable" });
    expect(parsePingOutput("ping: socket: Operation not permitted\n")).toBeNull();
  });
});

describe("icmpProblem", () => {
  it("finds none where ping answers on loopback", async () => {
    expect(await icmpProblem()).toBeNull();
  });

  it("says so on a machine without ping, as do its ping checks", async () => {
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      expect(await icmpProblem()).toMatch(/no ping command/);
      expect(await check(loopback, "127.0.0.1")).toMatchObject({
        status: "down",
        message: expect.stringMatching(/no ping command/),
      });
    } finally {
      process.env.PATH = path;
    }
  });
});
