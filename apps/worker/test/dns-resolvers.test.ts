import { fileURLToPath } from "node:url";
import { startDns, startTcp, type TestDnsServer, type TestServer } from "@upfleet/checks/testing";
import { type RunningApp, startApp } from "@upfleet/testing";
import { closedAfterFile, test } from "@upfleet/testing/fixtures";
import { describe, expect } from "vitest";
import { runCheckJob } from "./run-check.ts";

// The worker process with CHECK_DNS_RESOLVERS and INTERNAL_DNS_SUFFIXES set: names resolve only through
// the test's DNS server (app.example exists nowhere else), and internal names never leave the worker.

const cwd = fileURLToPath(new URL("..", import.meta.url));

type CheckResult = { status: string; error: string | null; message: string | null; details: unknown };

/**
 * The file's `dns` server and tcp `target`, one `worker` process resolving through that server, and
 * `runCheck`, which queues a check for it and waits for the result it publishes.
 */
const it = test.extend<{
  dns: TestDnsServer;
  target: TestServer;
  worker: RunningApp;
  runCheck: (spec: Record<string, unknown>) => Promise<CheckResult>;
}>({
  dns: closedAfterFile(() =>
    startDns(({ type, name }) => {
      if (type === "A" && name === "app.example") return [{ type: "A", name, ttl: 60, data: "127.0.0.1" }];
      if (type === "A" && name === "inside.example") return [{ type: "A", name, ttl: 60, data: "10.20.30.40" }];
      if (type === "TXT" && name === "app.example") return [{ type: "TXT", name, ttl: 60, data: "served by the test" }];
      return [];
    }),
  ),
  target: closedAfterFile(() => startTcp((socket) => socket.end())),
  worker: [
    async ({ redis, dns }, use) => {
      const worker = await startApp({
        cwd,
        env: {
          REDIS_URL: redis.url,
          REDIS_PREFIX: redis.prefix,
          HEALTH_PORT: "0",
          REGION: "eu-west",
          LOG_LEVEL: "info",
          OUTBOUND_ALLOW_CIDRS: "127.0.0.0/8",
          CHECK_DNS_RESOLVERS: dns.address,
          INTERNAL_DNS_SUFFIXES: "corp.example",
        },
      });
      await use(worker);
      await worker.stop("SIGKILL");
    },
    { scope: "file" },
  ],
  runCheck: [
    async ({ redis, worker: _ }, use) => {
      let n = 0;
      await use(async (spec) => {
        const round = {
          monitorId: `mon_${++n}`,
          organizationId: "org_x",
          region: "eu-west",
          tick: Date.now(),
          intervalMs: 60_000,
        };
        const published = await runCheckJob(redis, round, { timeoutMs: 3_000, ...spec });
        return published.result as CheckResult;
      });
    },
    { scope: "file" },
  ],
});

describe("worker with CHECK_DNS_RESOLVERS and INTERNAL_DNS_SUFFIXES", () => {
  it("resolves check targets through the chosen resolvers", async ({ dns, target, runCheck }) => {
    dns.questions.length = 0;
    expect(await runCheck({ type: "tcp", host: "app.example", port: target.port })).toMatchObject({ status: "up" });
    expect(dns.questions).toContain("A app.example");
  });

  it("sends a dns check without a resolver of its own to them", async ({ runCheck }) => {
    const result = await runCheck({ type: "dns", host: "app.example", recordType: "TXT" });
    expect(result).toMatchObject({ status: "up", details: { records: ["served by the test"] } });
  });

  it.for([
    { type: "tcp", host: "wiki.corp.example", port: 80 },
    { type: "http", url: "http://intranet:8080/" },
    { type: "ssl", host: "db.internal" },
    { type: "dns", host: "printer.local", recordType: "A" },
  ])("refuses the internal target of %j as blocked_address, asking no resolver", async (spec, { dns, runCheck }) => {
    dns.questions.length = 0;
    const result = await runCheck(spec);
    expect(result).toMatchObject({
      status: "down",
      error: "blocked_address",
      message: expect.stringMatching(/internal name/),
    });
    expect(dns.questions).toEqual([]);
  });

  it("says a name resolves to a non-public address, never which", async ({ target, runCheck }) => {
    const result = await runCheck({ type: "tcp", host: "inside.example", port: target.port });
    expect(result).toMatchObject({ status: "down", error: "blocked_address" });
    expect(JSON.stringify(result)).not.toMatch(/10\.20\.30\.40|private/);
  });
});
