import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { waitFor } from "@upfleet/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type RedisServer, startRedisServer } from "./redis-server.ts";
import { startSandbox, storedChecks } from "./support.ts";

/**
 * Processes that find their Redis through Sentinel (REDIS_SENTINELS + REDIS_SENTINEL_NAME): a master,
 * its replica and one sentinel watching them (quorum 1, a master down after 1 s), all the test's own on
 * loopback.
 */
let master: RedisServer;
let replica: RedisServer;
let sentinel: ChildProcess | undefined;
let sentinelOutput = "";
let sentinelEnv: Record<string, string>;

beforeAll(async () => {
  master = await startRedisServer();
  replica = await startRedisServer(() => ["--replicaof", "127.0.0.1", String(master.port)]);
  const port = await freePort();
  const conf = join(master.dir, "sentinel.conf");
  // Sentinel rewrites its configuration file as it learns, so it needs one of its own.
  await writeFile(
    conf,
    [
      "bind 127.0.0.1",
      `port ${port}`,
      `sentinel monitor upf-main 127.0.0.1 ${master.port} 1`,
      "sentinel down-after-milliseconds upf-main 1000",
      "sentinel failover-timeout upf-main 10000",
      "",
    ].join("\n"),
  );
  sentinel = spawn("redis-server", [conf, "--sentinel"], { stdio: ["ignore", "pipe", "pipe"] });
  sentinel.stdout?.on("data", (chunk: Buffer) => {
    sentinelOutput += chunk.toString();
  });
  await waitFor(async () => sentinelOutput.includes("+monitor master upf-main") && sentinelOutput.includes("+slave"), {
    timeoutMs: 20_000,
    what: `the sentinel watching the master and its replica:\n${sentinelOutput}`,
  });
  // REDIS_URL gives scheme and credentials only; the sentinels say where the master is.
  sentinelEnv = {
    REDIS_URL: "redis://127.0.0.1:1",
    REDIS_SENTINELS: `127.0.0.1:${port}`,
    REDIS_SENTINEL_NAME: "upf-main",
  };
}, 30_000);

afterAll(async () => {
  if (sentinel && sentinel.exitCode === null) {
    const exited = once(sentinel, "exit");
    sentinel.kill("SIGKILL");
    await exited;
  }
  await Promise.all([master?.close(), replica?.close()]);
});

describe("Redis through Sentinel", { timeout: 120_000 }, () => {
  it("carries the flow: the alerter dispatches, a worker checks, the alerter stores", async ({ onTestFinished }) => {
    const s = await startSandbox({
      url: sentinelEnv.REDIS_URL!,
      prefix: "upf-sentinel",
      // The server is the test's own and dies with it.
      cleanup: async () => undefined,
    });
    onTestFinished(() => s.stop());
    const monitor = await s.seed.httpMonitor(`${s.target.url}/sentinel`);
    await s.alerter(sentinelEnv);
    await s.worker(sentinelEnv);
    await waitFor(async () => (await storedChecks(s.db, monitor.id)).length >= 2, {
      timeoutMs: 60_000,
      what: "two checks stored through the sentinel's master",
    });
    expect((await storedChecks(s.db, monitor.id))[0]).toMatchObject({ status: "up", httpStatus: 200 });
  });

  it("survives the master's death: the sentinel promotes the replica and checks go on, none doubled", async ({
    onTestFinished,
  }) => {
    const s = await startSandbox({
      url: sentinelEnv.REDIS_URL!,
      prefix: "upf-failover",
      cleanup: async () => undefined,
    });
    onTestFinished(() => s.stop());
    const monitor = await s.seed.httpMonitor(`${s.target.url}/failover`);
    const alerter = await s.alerter(sentinelEnv);
    const worker = await s.worker(sentinelEnv);
    await waitFor(async () => (await storedChecks(s.db, monitor.id)).length >= 1, {
      timeoutMs: 60_000,
      what: "a check stored before the failover",
    });

    await master.stop("SIGKILL");
    const killedAt = Date.now();
    await waitFor(async () => sentinelOutput.includes("+switch-master upf-main"), {
      timeoutMs: 30_000,
      what: `the sentinel promoting the replica:\n${sentinelOutput}`,
    });
    await waitFor(async () => (await storedChecks(s.db, monitor.id)).filter((c) => c.tick > killedAt).length >= 2, {
      timeoutMs: 60_000,
      what: `two rounds after the master died stored through the new master\n${alerter.output()}`,
    });
    // Stored once each, and the rounds after the failover a whole interval apart: none skipped.
    const ticks = (await storedChecks(s.db, monitor.id)).map((c) => c.tick);
    expect(new Set(ticks).size).toBe(ticks.length);
    const after = ticks.filter((tick) => tick > killedAt);
    expect(after.slice(1).map((tick, i) => tick - after[i]!)).toEqual(after.slice(1).map(() => 10_000));
    expect([alerter.child.exitCode, worker.child.exitCode]).toEqual([null, null]);
  });
});
