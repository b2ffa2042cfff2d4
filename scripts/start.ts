/**
 * `pnpm start`: the whole system on one machine. Generates the Prisma client, creates and migrates
 * the database (and builds the dashboard if it has no build yet), bundles the apps as `pnpm build`
 * does, then runs the api, one worker per region in REGIONS and the alerter from their bundles as
 * child processes with their output prefixed, and stops them all together.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { databaseEnv, loadEnvOrExit, port, regionList } from "@upfleet/config";
import { applyMigrations, ensureDatabase } from "@upfleet/db/migrations";
import { z } from "zod";
import { buildApps } from "../build.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
// The apps' own defaults; workers take consecutive ports so each can be scraped.
const API_METRICS_PORT = 3099;
const ALERTER_HEALTH_PORT = 3100;
const FIRST_WORKER_HEALTH_PORT = 3101;
// Each app gives itself SHUTDOWN_DEADLINE_MS (70 s, packages/runtime) to finish in-flight work after
// SIGTERM; this is only the backstop.
const STOP_DEADLINE_MS = 75_000;

const env = loadEnvOrExit(z.object({ ...databaseEnv, REGIONS: regionList("local"), PORT: port(3000) }));

interface Service {
  name: string;
  app: string;
  env: NodeJS.ProcessEnv;
}

// Workers run in untrusted regions: database credentials never reach them.
const workerEnv = { ...process.env };
delete workerEnv.DATABASE_URL;
const services: Service[] = [
  {
    name: "api",
    app: "api",
    // The API never serves /metrics on its public port: here it gets a port of its own.
    env: { METRICS_PORT: String(API_METRICS_PORT), ...process.env, DATABASE_URL: env.DATABASE_URL },
  },
  ...env.REGIONS.map((region, i) => ({
    name: `worker:${region}`,
    app: "worker",
    env: { ...workerEnv, REGION: region, HEALTH_PORT: String(FIRST_WORKER_HEALTH_PORT + i) },
  })),
  {
    name: "alerter",
    app: "alerter",
    env: { ...process.env, DATABASE_URL: env.DATABASE_URL, HEALTH_PORT: String(ALERTER_HEALTH_PORT) },
  },
];

const color = process.env.NO_COLOR ? false : Boolean(process.env.FORCE_COLOR) || process.stdout.isTTY;
const COLORS = [36, 33, 35, 32, 34, 31];
const width = Math.max("upfleet".length, ...services.map((s) => s.name.length));
const label = (name: string, code: number) => {
  const text = `${name.padEnd(width)} |`;
  return color ? `\x1b[${code}m${text}\x1b[0m` : text;
};
const own = label("upfleet", 1);
const say = (message: string) => process.stdout.write(`${own} ${message}\n`);

function pipeLines(from: Readable, to: Writable, prefix: string): void {
  createInterface({ input: from }).on("line", (line) => to.write(`${prefix} ${line}\n`));
}

const running = new Map<ChildProcess, Service>();
let stopping = false;
let exitCode = 0;

function stopAll(reason: string, code: number): void {
  exitCode = Math.max(exitCode, code);
  if (stopping) return;
  stopping = true;
  say(reason);
  if (running.size === 0) process.exit(exitCode);
  for (const child of running.keys()) child.kill("SIGTERM");
  setTimeout(() => {
    for (const [child, service] of running) {
      say(`${service.name} did not stop within ${STOP_DEADLINE_MS / 1000} s: killing it`);
      child.kill("SIGKILL");
    }
  }, STOP_DEADLINE_MS).unref();
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => stopAll(`${signal}: stopping everything`, 0));
}
// If the runner itself dies, its children (in their own process groups) must not live on.
process.on("exit", () => {
  for (const child of running.keys()) child.kill("SIGKILL");
});

function start(service: Service, index: number): void {
  const prefix = label(service.name, COLORS[index % COLORS.length]!);
  // Own process group: a terminal's Ctrl-C reaches only the runner, which sends each child one SIGTERM.
  const child = spawn(process.execPath, [path.join(bundleDir(service.app), "main.js")], {
    cwd: path.join(ROOT, "apps", service.app),
    env: service.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  running.set(child, service);
  pipeLines(child.stdout, process.stdout, prefix);
  pipeLines(child.stderr, process.stderr, prefix);
  const exited = (how: string, clean: boolean) => {
    if (!running.delete(child)) return;
    if (!stopping) stopAll(`${service.name} ${how} unexpectedly: stopping the others`, 1);
    else if (!clean) {
      exitCode = 1;
      say(`${service.name} ${how}`);
    }
    if (running.size === 0) process.exit(exitCode);
  };
  child.on("error", (error) => exited(`could not start (${error.message})`, false));
  // Dying of the SIGTERM we sent is a clean stop for a process that does not handle it.
  child.on("exit", (code, signal) =>
    exited(signal ? `was killed by ${signal}` : `exited with code ${code}`, code === 0 || signal === "SIGTERM"),
  );
}

/** Runs a pnpm command quietly; its output is shown only if it fails. */
function pnpm(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("pnpm", args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`pnpm ${args.join(" ")} failed (${code}):\n${output}`)),
    );
  });
}

/** The generated client is not committed and must match the schema, so it is rebuilt every start (~3 s). */
const generateClient = () => pnpm(["--silent", "db:generate"]);

/** The API serves the dashboard's build under /app; a checkout without one gets it built once (~30 s). */
async function buildWebIfMissing(): Promise<void> {
  if (existsSync(path.join(ROOT, "apps/web/dist/index.html"))) return;
  say("building the dashboard (apps/web) once");
  await pnpm(["--filter", "@upfleet/web", "build"]);
}

const bundleDir = (app: string) => path.join(ROOT, "apps", app, "dist");

/**
 * Each app runs from its production bundle, as images and the benches run it: through tsx every
 * process compiled the workspace at start and kept an esbuild service beside it (~70 MB and seconds
 * of CPU per app for nothing). The dashboard is linked, so the web build above may finish later.
 */
async function bundle(): Promise<void> {
  await generateClient();
  await buildApps([...new Set(services.map((s) => s.app))], bundleDir, { linkAssets: true });
}

async function migrate(): Promise<void> {
  const name = decodeURIComponent(new URL(env.DATABASE_URL).pathname.slice(1));
  if (await ensureDatabase(env.DATABASE_URL)) say(`created database ${name}`);
  // The wasm engine leaves a ~10 s timer behind; harmless here since the runner stays up anyway.
  const applied = await applyMigrations(env.DATABASE_URL);
  say(applied.length ? `applied migrations: ${applied.join(", ")}` : `database ${name} is up to date`);
}

try {
  await Promise.all([bundle(), migrate(), buildWebIfMissing()]);
} catch (error) {
  say(`cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

if (!stopping) {
  services.forEach(start);
  say(
    services
      .map((s) => {
        if (s.app === "api") {
          return `api on http://localhost:${env.PORT}, dashboard at /app (metrics :${s.env.METRICS_PORT})`;
        }
        return `${s.name} (health :${s.env.HEALTH_PORT})`;
      })
      .join(", "),
  );
}
