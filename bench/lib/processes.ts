/** The real apps as child processes of a benchmark, each stopped when the run ends. */
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type AppProcess, bundleEntry, spawnApp, waitFor } from "@upfleet/testing";
import { bundleApps } from "@upfleet/testing/bundles";
import { parseMetrics, type Sample } from "../fleet/prometheus.ts";
import { freePort, onCleanup, sleep } from "./harness.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const APP_DIRS = {
  api: path.join(ROOT, "apps/api"),
  alerter: path.join(ROOT, "apps/alerter"),
  worker: path.join(ROOT, "apps/worker"),
} as const;

let bundles: Promise<string> | undefined;

/**
 * The entry of `app`'s production bundle (ADR 0010), all apps built once per bench run into a folder
 * of its own: benches measure what ships, and tsx would add its compile CPU at start and hold every
 * transpiled module with its map in memory.
 */
function bundleOf(app: keyof typeof APP_DIRS): Promise<string> {
  bundles ??= (async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "upfleet-bench-builds-"));
    onCleanup("remove the app bundles", () => rm(dir, { recursive: true, force: true }));
    await bundleApps(dir);
    return dir;
  })();
  return bundles.then((dir) => bundleEntry(dir, app));
}

export interface App {
  role: string;
  process: AppProcess;
  /** Its health server (or, for the API, the API itself). */
  url: string;
}

/**
 * Starts an app at LOG_LEVEL warn with a free HEALTH_PORT (PORT for the API) and waits for its /healthz.
 * `env` values that are undefined remove the variable (a worker has no DATABASE_URL). It runs its
 * production bundle, or with `fromSource` its TypeScript through tsx (CPU profiles then name our files).
 */
export async function startProcess(
  role: string,
  app: keyof typeof APP_DIRS,
  env: Record<string, string | undefined>,
  { fromSource = false } = {},
): Promise<App> {
  const port = await freePort();
  const portEnv = app === "api" ? { PORT: String(port) } : { HEALTH_PORT: String(port) };
  const child = spawnApp({
    cwd: APP_DIRS[app],
    entry: fromSource ? undefined : await bundleOf(app),
    env: { LOG_LEVEL: "warn", ...env, ...portEnv },
  });
  onCleanup(`stop the ${role}`, () => child.stop("SIGTERM", 20_000));
  const url = `http://127.0.0.1:${port}`;
  await Promise.race([
    waitFor(async () => (await fetch(`${url}/healthz`)).ok, { timeoutMs: 60_000, what: `${role} /healthz` }),
    child.exited.then((exit) => {
      throw new Error(`the ${role} exited (${exit.code ?? exit.signal}) before serving:\n${child.output()}`);
    }),
  ]);
  return { role, process: child, url };
}

export async function scrape(app: App): Promise<Sample[]> {
  const response = await fetch(`${app.url}/metrics`);
  return parseMetrics(await response.text());
}

export interface Helper {
  child: ChildProcess;
  url: string;
  /** Sends a message and resolves with the helper's next message. */
  ask<T>(message: string): Promise<T>;
}

/**
 * Forks one of the benches' own helper servers (a target, a receiver) so the load it takes never
 * shares the harness's event loop nor counts as the pipeline's CPU. It reports `{port}` once
 * listening and exits on "stop".
 */
export async function startHelper(file: string, role: string): Promise<Helper> {
  const child = fork(file, [], {
    cwd: path.dirname(file),
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  onCleanup(`stop the ${role}`, async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.send("stop");
    await Promise.race([exited, sleep(5_000).then(() => child.kill("SIGKILL"))]);
  });
  const [message] = (await Promise.race([
    once(child, "message"),
    once(child, "exit").then(([code]) => {
      throw new Error(`the ${role} exited (${code}) before listening`);
    }),
  ])) as [{ port: number }];
  return {
    child,
    url: `http://127.0.0.1:${message.port}`,
    ask: async <T>(question: string) => {
      const reply = once(child, "message") as Promise<[T]>;
      child.send(question);
      return (await reply)[0];
    },
  };
}
