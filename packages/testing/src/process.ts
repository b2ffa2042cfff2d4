import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { waitFor } from "./wait-for.ts";

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export type LogEntry = Record<string, unknown>;

export interface SpawnAppOptions {
  /** The app's package directory (apps/<app>): the child runs there, so `tsx` and its dependencies resolve. */
  cwd: string;
  /** Relative to `cwd`: a `.js` file runs on Node alone, anything else through `tsx`. */
  entry?: string;
  /** Added to (or, when undefined, removed from) the test process' environment. */
  env?: Record<string, string | undefined>;
}

export interface AppProcess {
  child: ChildProcess;
  /** Every stdout and stderr line so far, in arrival order. */
  lines: string[];
  output(): string;
  /** Settles when the process has exited and its output is read. */
  exited: Promise<Exit>;
  /** Resolves with the first line (past or future) that matches; rejects if the process exits first. */
  waitForLine(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** The same for JSON log lines. */
  waitForLog(match: (entry: LogEntry) => boolean, timeoutMs?: number): Promise<LogEntry>;
  /** Sends `signal` and waits for the exit; SIGKILL if the process outlives `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<Exit>;
}

/**
 * Every app leads a process group of its own (spawned detached) and is signalled as that group, so
 * nothing it started outlives it.
 */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: every process of the group has exited already.
  }
}

/** The apps alive in this test process, each with its output so far. */
const running = new Map<ChildProcess, { app: string; lines: string[] }>();
// A failed assertion must not leave servers behind holding ports and connections.
process.once("exit", () => {
  for (const child of running.keys()) signalGroup(child, "SIGKILL");
});

/** pino's warn level: what an app says went wrong. */
const WARN = 40;
/** Per app, the newest warnings a report shows. */
const REPORT_LINES = 20;

/**
 * The warnings and errors the running apps logged, newest last, for a failed test's report: the
 * processes are gone by the time anyone reads CI's output, and what they said is often the cause.
 */
export function appWarnings(): string {
  const reports: string[] = [];
  for (const [child, { app, lines }] of running) {
    const warnings = lines.filter((line) => {
      const level = parseLog(line)?.level;
      return level === undefined ? line.trim() !== "" : typeof level === "number" && level >= WARN;
    });
    if (warnings.length === 0) continue;
    reports.push(`${app} (pid ${child.pid}):\n${warnings.slice(-REPORT_LINES).join("\n")}`);
  }
  return reports.join("\n");
}

function parseLog(line: string): LogEntry | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    return JSON.parse(line) as LogEntry;
  } catch {
    return undefined;
  }
}

/** The folder of the apps' bundles the suite's global setup built for this run (global-setup.ts). */
export const BUILDS_ENV = "UPFLEET_TEST_BUILDS";

/** The entry of `app`'s bundle that bundles.ts `bundleApps` wrote under `root`. */
export function bundleEntry(root: string, app: string): string {
  return path.join(root, app, "main.js");
}

/**
 * Node's arguments for an app: its `entry` if given; else, under the suite, the bundle built for this
 * run (the production build, at a fraction of the CPU of tsx compiling the workspace at each start); else
 * (benches) its source through tsx.
 */
function nodeArgs(cwd: string, entry: string | undefined): string[] {
  const builds = process.env[BUILDS_ENV];
  if (entry === undefined && builds) return ["--enable-source-maps", bundleEntry(builds, path.basename(cwd))];
  const file = entry ?? "src/main.ts";
  return file.endsWith(".js") ? [file] : ["--import", "tsx", file];
}

/** Starts an app (its bundle, or its source through tsx: see `nodeArgs`) and records its output. */
export function spawnApp({ cwd, entry, env = {} }: SpawnAppOptions): AppProcess {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[name];
    else childEnv[name] = value;
  }
  const child = spawn(process.execPath, nodeArgs(cwd, entry), {
    cwd,
    env: childEnv,
    stdio: "pipe",
    detached: true,
  });
  const lines: string[] = [];
  running.set(child, { app: path.basename(cwd), lines });
  const listeners = new Set<(line: string) => void>();
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      lines.push(line);
      for (const listener of listeners) listener(line);
    });
  }
  // "close" rather than "exit": it comes once both streams are drained, so `lines` is complete.
  const exited = new Promise<Exit>((resolve) => {
    child.once("close", (code, signal) => {
      running.delete(child);
      // The app is gone; whatever it left running in its group goes with it.
      signalGroup(child, "SIGKILL");
      resolve({ code, signal });
    });
  });
  const output = () => lines.join("\n");

  const waitForLine = (match: (line: string) => boolean, timeoutMs = 15_000) =>
    new Promise<string>((resolve, reject) => {
      const found = lines.find(match);
      if (found !== undefined) return resolve(found);
      const done = () => {
        listeners.delete(listener);
        clearTimeout(timer);
      };
      const listener = (line: string) => {
        if (!match(line)) return;
        done();
        resolve(line);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no matching line within ${timeoutMs} ms; output so far:\n${output()}`));
      }, timeoutMs);
      listeners.add(listener);
      void exited.then(() => {
        if (!listeners.has(listener)) return;
        done();
        reject(
          new Error(`process exited (${child.exitCode ?? child.signalCode}) before a matching line:\n${output()}`),
        );
      });
    });

  const waitForLog = async (match: (entry: LogEntry) => boolean, timeoutMs?: number) => {
    const line = await waitForLine((l) => {
      const entry = parseLog(l);
      return entry !== undefined && match(entry);
    }, timeoutMs);
    return parseLog(line) as LogEntry;
  };

  const stop = async (signal: NodeJS.Signals = "SIGTERM", timeoutMs = 10_000) => {
    if (child.exitCode === null && child.signalCode === null) signalGroup(child, signal);
    const timer = setTimeout(() => signalGroup(child, "SIGKILL"), timeoutMs);
    const exit = await exited;
    clearTimeout(timer);
    return exit;
  };

  return { child, lines, output, exited, waitForLine, waitForLog, stop };
}

export interface RunningApp extends AppProcess {
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
}

/**
 * Spawns an app and waits until it serves `/healthz`. The port is read from the app's first JSON log
 * line whose message says "listening" and that has a numeric `port` (so tests can pass port 0 and
 * never race for a free one).
 */
export async function startApp(options: SpawnAppOptions & { timeoutMs?: number }): Promise<RunningApp> {
  const app = spawnApp(options);
  try {
    const { port } = await app.waitForLog(
      (entry) => typeof entry.port === "number" && /listening/.test(String(entry.msg)),
      options.timeoutMs,
    );
    const url = `http://127.0.0.1:${port as number}`;
    await waitFor(async () => (await fetch(`${url}/healthz`)).ok, { what: `${url}/healthz` });
    return { ...app, port: port as number, url };
  } catch (error) {
    await app.stop("SIGKILL");
    throw error;
  }
}
