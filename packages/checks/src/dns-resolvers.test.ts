import { createOutboundGuard, createServerResolver } from "@upfleet/outbound";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CheckResult, checkResultSchema, checkSpecSchema, createCheckRunner } from "./index.ts";
import { startDns, startHttp, startTcp, type TestDnsServer, type TestServer } from "./test-servers.ts";

// CHECK_DNS_RESOLVERS: the guard resolves through the operator's chosen servers, for every check type.
// The names below exist only on the test's DNS server, so an answer proves it was asked.

let dns: TestDnsServer;
let web: TestServer;
let tcp: TestServer;
let runner: ReturnType<typeof createCheckRunner>;

beforeAll(async () => {
  dns = await startDns(({ type, name }) => {
    if (name.startsWith("missing")) return "nxdomain";
    if (type === "A" && name === "app.example") return [{ type: "A", name, ttl: 60, data: "127.0.0.1" }];
    if (type === "A" && name === "inside.example") return [{ type: "A", name, ttl: 60, data: "10.20.30.40" }];
    if (type === "TXT" && name === "app.example") return [{ type: "TXT", name, ttl: 60, data: "hello" }];
    return [];
  });
  [web, tcp] = await Promise.all([startHttp((_req, res) => res.end("ok")), startTcp((socket) => socket.end())]);
  runner = createCheckRunner({
    guard: createOutboundGuard({ allowCidrs: ["127.0.0.0/8"], dnsServers: [dns.address] }),
  });
});
afterAll(async () => {
  runner.close();
  await Promise.all([dns.close(), web.close(), tcp.close()]);
});

async function run(spec: Record<string, unknown>): Promise<CheckResult> {
  return checkResultSchema.parse(await runner.run(checkSpecSchema.parse({ timeoutMs: 3_000, ...spec })));
}

describe("checks resolving through CHECK_DNS_RESOLVERS", () => {
  it("http, api and tcp checks resolve names through the chosen servers", async () => {
    dns.questions.length = 0;
    expect(await run({ type: "http", url: `http://app.example:${web.port}/` })).toMatchObject({ status: "up" });
    expect(await run({ type: "api", steps: [{ name: "home", url: `http://app.example:${web.port}/` }] })).toMatchObject(
      { status: "up" },
    );
    expect(await run({ type: "tcp", host: "app.example", port: tcp.port })).toMatchObject({ status: "up" });
    expect(dns.questions).toContain("A app.example");
  });

  it("refuses what they resolve to a non-public address, without naming it", async () => {
    const result = await run({ type: "tcp", host: "inside.example", port: tcp.port });
    expect(result).toMatchObject({ status: "down", error: "blocked_address" });
    expect(result.message).not.toContain("10.20.30.40");
    expect(await run({ type: "tcp", host: "missing.example", port: tcp.port })).toMatchObject({ error: "dns" });
  });

  it("a dns check without a resolver of its own asks them instead of the system's", async () => {
    dns.questions.length = 0;
    const result = await run({ type: "dns", host: "app.example", recordType: "TXT" });
    expect(result).toMatchObject({ status: "up", details: { records: ["hello"], resolver: "system" } });
    expect(dns.questions).toEqual(["TXT app.example"]);
  });

  it("the resolver answers dns.lookup's way, by family", async () => {
    const resolve = createServerResolver([dns.address]);
    const answer = (family: number) =>
      new Promise<unknown>((done) =>
        resolve("app.example", { all: true, family }, (error, addresses) => done(error ?? addresses)),
      );
    expect(await answer(4)).toEqual([{ address: "127.0.0.1", family: 4 }]);
    expect(await answer(0)).toEqual([{ address: "127.0.0.1", family: 4 }]);
    expect(await answer(6)).toMatchObject({ code: "ENODATA" });
  });
});
