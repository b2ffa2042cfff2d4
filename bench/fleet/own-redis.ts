/**
 * A redis-server of the run's own, on a free loopback port, without persistence. The machine's Redis
 * is shared (tests, other benches), so its CPU and `INFO commandstats` would count their work as ours;
 * a server of our own makes both the run's alone.
 */
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { promisify } from "node:util";
import { waitFor } from "@upfleet/testing";
import { freePort, onCleanup } from "../lib/harness.ts";

const run = promisify(execFile);

export interface OwnRedis {
  url: string;
  pid: number;
}

/** `hz`: how often the server runs its background tasks (Redis's default 10; idle, they are most of its CPU). */
export async function startOwnRedis(hz = 10): Promise<OwnRedis> {
  const port = await freePort();
  const child = spawn(
    "redis-server",
    [
      ...["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      ...["--loglevel", "warning", "--hz", String(hz)],
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  onCleanup("stop the bench's redis-server", async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await exited;
  });
  const url = `redis://127.0.0.1:${port}`;
  await waitFor(async () => (await redisCli(url, "PING")).trim() === "PONG", {
    timeoutMs: 10_000,
    what: "the bench's redis-server",
  });
  return { url, pid: child.pid! };
}

/** Calls per command since the server started (`INFO commandstats`), e.g. `evalsha` → 1234. */
export async function redisCommandCalls(url: string): Promise<Map<string, number>> {
  const calls = new Map<string, number>();
  for (const [, name, n] of (await redisCli(url, "INFO", "commandstats")).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    calls.set(name!, Number(n));
  }
  return calls;
}

/** One command through `redis-cli` (as the server's default user unless `url` names another); its output. */
export async function redisCli(url: string, ...command: string[]): Promise<string> {
  return (await run("redis-cli", ["-u", url, ...command])).stdout;
}

/** Commands per second between two `redisCommandCalls`, busiest first; `own` calls (the harness's) left out. */
export function commandRates(
  before: Map<string, number>,
  after: Map<string, number>,
  seconds: number,
  own: Record<string, number> = {},
): { total: number; byCommand: [string, number][] } {
  const byCommand: [string, number][] = [];
  for (const [name, n] of after) {
    const calls = n - (before.get(name) ?? 0) - (own[name] ?? 0);
    if (calls > 0) byCommand.push([name, calls / seconds]);
  }
  byCommand.sort((a, b) => b[1] - a[1]);
  return { total: byCommand.reduce((sum, [, rate]) => sum + rate, 0), byCommand };
}
