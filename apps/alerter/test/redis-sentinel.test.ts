import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { waitFor } from "@upfleet/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type RedisServer, startRedisServer } from "./redis-server.ts";
import { startSandbox, storedChecks } from "./support.ts";

/**
 * Processes that find their Redis through Sentinel (REDIS_SENTINELS + REDIS_SENTINEL_NAME): a master
 * and one sentinel watching it, both the test's own on loopback.
 */
let master: RedisServer;
let sentinel: ChildProcess | undefined;
let sentinelEnv: Record<string, string>;

beforeAll(async () => {
  master = await startRedisServer();
  const port = await freePort();
  const conf = join(master.dir, "sentinel.conf");
  // Sentinel rewrites its configuration file as it learns, so it needs one of its own.
  await writeFile(conf, `bind 127.0.0.1\nport ${port}\nsentinel monitor upf-main 127.0.0.1 ${master.port} 1\n`);
  sentinel = spawn("redis-server", [conf, "--sentinel"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  sentinel.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  await waitFor(async () => output.includes("+monitor master upf-main"), { what: `the sentinel watching:\n${output}` });
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
  await master?.close();
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
});
