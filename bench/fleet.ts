/**
 * `pnpm bench:fleet`: the check pipeline on real processes. N http monitors are seeded straight into
 * a fresh PostgreSQL database; the real alerter (scheduler lease, dispatcher, reconciler, result
 * ingest) and K real workers run as child processes against a keep-alive HTTP target on loopback,
 * itself a child process. After a warm-up, one window is measured: checks/s, schedule lag, missed
 * ticks, CPU and RSS per process (/proc), rows/s in PostgreSQL, Redis commands and PostgreSQL commits.
 * `--monitors 0` measures the idle system instead (issue #15). Prints a table and rewrites its block in
 * the "Check pipeline" section of BENCHMARKS.md. See `--help`.
 */
import { mkdir, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Db } from "@upfleet/db";
import { tickOffsetMs } from "@upfleet/monitoring";
import { EVENT_LOOP_PROBE_MS } from "@upfleet/runtime";
import { waitFor } from "@upfleet/testing";
import { createAclUsers } from "./fleet/acl-users.ts";
import { IDLE_TARGET, IDLE_WARMUP_S, renderIdle } from "./fleet/idle-report.ts";
import { commandRates, redisCommandCalls, startOwnRedis } from "./fleet/own-redis.ts";
import { type StatementRates, sampleStatements } from "./fleet/pg-sampler.ts";
import { type ProcSample, sampleMachine, sampleProcess } from "./fleet/procfs.ts";
import { diffHistogram, histogram, histogramQuantile, type Sample, shareAtOrBelow, total } from "./fleet/prometheus.ts";
import {
  childResultFile,
  RESULT_FILE_ENV,
  type RunFigures,
  renderSweep,
  runChild,
  sweepWindow,
} from "./fleet/sweep.ts";
import { configurationKey, writeBlock } from "./lib/benchmarks-md.ts";
import { benchArgs } from "./lib/cli.ts";
import { fmt, machine, run, sleep } from "./lib/harness.ts";
import { type App, scrape, startHelper, startProcess } from "./lib/processes.ts";
import { benchOrganization, freshServices, seedHttpMonitors } from "./lib/services.ts";
import { summarizeProfile } from "./profile.ts";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(HERE);
const RESULTS = path.join(HERE, "results");

/** The targets of issue 4 on this machine. */
const TARGET = { p99LagMs: 1_000, missed: 0, cpuMsPerCheck: 3 } as const;
const TIMEOUT_MS = 5_000;
const REGION = "local";

const HELP = `pnpm bench:fleet [--quick] [--monitors N] [--interval S] [--warmup S] [--duration S]
                 [--workers K] [--concurrency C] [--acl] [--sweep N,N,…] [--profile] [--no-write]

  --quick          1,000 monitors, 20 s warm-up, 60 s window (unless given)
  --monitors N     http monitors to seed (default 10,000); 0 measures the idle system (warm-up 120 s, window 60 s)
  --interval S     their interval in seconds (default 30)
  --warmup S       seconds between the processes being up and the window (default 60)
  --duration S     the measured window in seconds (default 300)
  --workers K      worker processes in region "local" (default 1)
  --concurrency C  CONCURRENCY of each worker (default 300)
  --redis-hz N     the run's redis-server's hz (default 10, Redis's own default; idle, Redis's CPU is mostly this)
  --acl            each process connects as its own Redis user, made by \`pnpm fleet:acl\`'s lines (issue #14)
  --sweep N,N,…    one run per number of monitors (0: idle), one after the other, and one table of them
                   all; each size's warm-up and window are shorter than a single run's unless given
  --profile        CPU-profiles the API, the alerter and the workers over the window; prints where the time went
                   (figures are then not written: the profiler costs CPU too)
  --no-write       leave BENCHMARKS.md alone (results still go to bench/results/)`;

const args = benchArgs(
  HELP,
  ["monitors", "interval", "warmup", "duration", "workers", "concurrency", "redis-hz"],
  ["quick", "profile", "acl"],
  ["sweep"],
);
const quick = args.flag("quick");
const profile = args.flag("profile");
const acl = args.flag("acl");
const sweepSizes = args.ints("sweep", 0);
const idleRun = args.given("monitors") && args.int("monitors", 0, 0) === 0;
const config = {
  monitors: args.int("monitors", quick ? 1_000 : 10_000, 0),
  intervalS: args.int("interval", 30, 1),
  warmupS: args.int("warmup", idleRun ? IDLE_WARMUP_S : quick ? 20 : 60, 5),
  durationS: args.int("duration", quick || idleRun ? 60 : 300, 10),
  workers: args.int("workers", 1, 1),
  concurrency: args.int("concurrency", 300, 1),
  acl,
  redisHz: args.int("redis-hz", 10, 1),
};
const intervalMs = config.intervalS * 1000;
const command = ["pnpm bench:fleet", ...process.argv.slice(2)].join(" ");
/** Which block of BENCHMARKS.md this run replaces: one per configuration. */
const runKey = configurationKey(process.argv.slice(2), ["--profile", "--no-write"]);

// ---------------------------------------------------------------------------------------------
// The processes.

// ---------------------------------------------------------------------------------------------
// The database: seeding and the figures read back.

async function seed(db: Db, targetUrl: string): Promise<string[]> {
  const organizationId = await benchOrganization(db);
  return seedHttpMonitors(db, organizationId, config.monitors, {
    targetUrl,
    intervalS: config.intervalS,
    timeoutMs: TIMEOUT_MS,
    region: REGION,
  });
}

/** Grid ticks `k × interval + offset(id)` in [from, to). */
function ticksIn(monitorId: string, from: number, to: number): number {
  const offset = tickOffsetMs(monitorId, intervalMs);
  return Math.ceil((to - offset) / intervalMs) - Math.ceil((from - offset) / intervalMs);
}

interface PgStats {
  xacts: number;
  inserted: number;
  updated: number;
  ourBackends: { pid: number; type: string }[];
  serverProcesses: { pid: number; type: string }[];
}

/**
 * Our PostgreSQL backends are those whose pg_stat_activity.datname is the bench database, read at the
 * window's start and end: the server is shared with other databases (tests, other runs), so "every
 * backend started during the run" would count their connections too. A backend that connects and exits
 * inside the window is missed (its CPU goes to the postmaster's children), but the apps' pools keep
 * theirs open. The harness's own connection is left out; its few statements do count in the commits.
 */
async function pgStats(db: Db): Promise<PgStats> {
  const [database] = await db.$queryRaw<{ xacts: bigint; inserted: bigint; updated: bigint }[]>`
    SELECT xact_commit AS xacts, tup_inserted AS inserted, tup_updated AS updated
    FROM pg_stat_database WHERE datname = current_database()`;
  const activity = await db.$queryRaw<{ pid: number; type: string; ours: boolean }[]>`
    SELECT pid, backend_type AS type, datname IS NOT NULL AS ours FROM pg_stat_activity
    WHERE pid <> pg_backend_pid() AND (datname = current_database() OR datname IS NULL)`;
  return {
    xacts: Number(database?.xacts ?? 0),
    inserted: Number(database?.inserted ?? 0),
    updated: Number(database?.updated ?? 0),
    ourBackends: activity.filter((a) => a.ours).map(({ pid, type }) => ({ pid, type })),
    serverProcesses: activity.filter((a) => !a.ours).map(({ pid, type }) => ({ pid, type })),
  };
}

// ---------------------------------------------------------------------------------------------
// CPU accounting.

type Snapshot = Map<number, ProcSample>;

async function snapshot(pids: number[]): Promise<Snapshot> {
  const samples = await Promise.all(pids.map(sampleProcess));
  return new Map(samples.filter((s): s is ProcSample => s !== null).map((s) => [s.pid, s]));
}

/** CPU seconds spent by `pids` between two snapshots (a process born in between counts from zero). */
function cpuBetween(before: Snapshot, after: Snapshot, pids: number[]): number {
  return pids.reduce((sum, pid) => {
    const end = after.get(pid);
    if (!end) return sum;
    return sum + end.cpuSeconds - (before.get(pid)?.cpuSeconds ?? 0);
  }, 0);
}

// ---------------------------------------------------------------------------------------------
// The report.

interface Row {
  name: string;
  ours: boolean;
  cpuSeconds: number;
  rssMb?: number;
  peakRssMb?: number;
  hwmMb?: number;
}

interface Figures {
  date: string;
  machine: string;
  command: string;
  config: typeof config;
  targetUrl: string;
  windowS: number;
  expectedChecksPerS: number;
  checksPerS: number;
  stored: number;
  outcomes: Record<string, number>;
  expectedTicks: number;
  missedTicks: number;
  monitorsMissing: number;
  surplusRows: number;
  lagDb: { p50: number; p99: number; max: number; overOneSecond: number };
  lagAlerter: { p50: number; p99: number; shareUnder1s: number; count: number };
  lagWorker: { p50: number; p99: number; shareUnder1s: number; count: number };
  workerOutcomes: Record<string, number>;
  targetRequests: number;
  rowsPerS: number;
  pg: { xactsPerS: number; tuplesInsertedPerS: number; tuplesUpdatedPerS: number };
  maxQueueDepth: number;
  /**
   * Longest event-loop delay per process seen by prom-client's probe, a timer every second
   * (runtime/metrics.ts): its max over each 5 s between scrapes, less that second, ms.
   */
  maxLoopDelayMs: Record<string, number>;
  /** The alerter's last minutely reconcile pass: how long it took and the bytes of the schedule it read from Redis. */
  reconcile: { durationMs: number; bytesRead: number };
  /** The seconds of the window with the most checks started over 1 s late. */
  lateSeconds: { tick: string; late: number; maxLagMs: number }[];
  rows: Row[];
  oursCpuSeconds: number;
  cpuMsPerCheck: number;
  /** Ours + Redis (the run's own server) + the bench database's PostgreSQL backends. */
  allInCpuSeconds: number;
  allInMsPerCheck: number;
  /** Commands per second in the window, in all and by command (INFO commandstats). */
  redisCommands: { total: number; byCommand: [string, number][] };
  /** Idle runs: statements per second by text, sampled from pg_stat_activity. */
  pgStatements: StatementRates | undefined;
  machineBusyCoreS: number;
  machineCores: number;
  childWarnings: Record<string, string[]>;
}

function render(f: Figures): string {
  const verdict = (ok: boolean) => (ok ? "**pass**" : "**FAIL**");
  const c = f.config;
  const mb = (v: number | undefined) => (v === undefined ? "" : fmt(v));
  const cpuRow = (r: Row) =>
    `| ${r.name} | ${r.ours ? "ours" : "not ours"} | ${fmt(r.cpuSeconds, 1)} | ${fmt((r.cpuSeconds / f.windowS) * 100, 1)} % | ${fmt((r.cpuSeconds * 1000) / Math.max(1, f.stored), 2)} | ${mb(r.rssMb)} | ${mb(r.peakRssMb)} | ${mb(r.hwmMb)} |`;
  const ours = f.rows.filter((r) => r.ours);
  const notOurs = f.rows.filter((r) => !r.ours);
  const outcomes = Object.entries(f.outcomes)
    .map(([k, v]) => `${k} ${fmt(v)}`)
    .join(", ");
  const skipped = f.workerOutcomes.skipped ?? 0;
  return [
    `### ${c.monitors.toLocaleString("en")} monitors × ${c.intervalS} s, ${c.workers} worker${c.workers > 1 ? "s" : ""}`,
    "",
    `- Date: ${f.date}`,
    `- Machine: ${f.machine}`,
    `- Command: \`${f.command}\``,
    `- Setup: ${fmt(c.monitors)} http monitors (GET ${f.targetUrl}/m/<i>, interval ${c.intervalS} s, timeout ${TIMEOUT_MS / 1000} s, region \`${REGION}\`) seeded in PostgreSQL; 1 alerter, ${c.workers} worker${c.workers > 1 ? "s" : ""} × CONCURRENCY ${c.concurrency}${c.acl ? "; each process connects as its own Redis user (`pnpm fleet:acl`)" : ""}; warm-up ${c.warmupS} s, window ${c.durationS} s; ticks in the window counted ${TIMEOUT_MS / 1000 + 5} s after it closed`,
    "",
    "| figure | measured | target | |",
    "|---|---:|---:|---|",
    `| checks/s (stored results with tick in the window ÷ window) | ${fmt(f.checksPerS, 1)} (expected ${fmt(f.expectedChecksPerS, 1)}) | | |`,
    `| schedule lag p50 / p99 / max (per check, from PostgreSQL) | ${fmt(f.lagDb.p50)} / ${fmt(f.lagDb.p99)} / ${fmt(f.lagDb.max)} ms (${fmt(f.lagDb.overOneSecond)} checks > 1 s) | p99 < ${TARGET.p99LagMs / 1000} s | ${verdict(f.lagDb.p99 < TARGET.p99LagMs)} |`,
    `| schedule lag p50 / p99 (alerter histogram, interpolated) | ${fmt(f.lagAlerter.p50 * 1000)} / ${fmt(f.lagAlerter.p99 * 1000)} ms; ${fmt(f.lagAlerter.shareUnder1s * 100, 2)} % ≤ 1 s | | |`,
    `| missed ticks (expected − stored) | ${fmt(f.missedTicks)} of ${fmt(f.expectedTicks)} (${fmt(f.monitorsMissing)} monitors short; ${fmt(skipped)} skipped as stale by workers) | ${TARGET.missed} | ${verdict(f.missedTicks <= TARGET.missed)} |`,
    `| CPU per check, all our processes | ${fmt(f.cpuMsPerCheck, 2)} ms | ≤ ${TARGET.cpuMsPerCheck} ms | ${verdict(f.cpuMsPerCheck <= TARGET.cpuMsPerCheck)} |`,
    `| CPU per check, all-in (ours + Redis + the database's PostgreSQL backends) | ${fmt(f.allInMsPerCheck, 2)} ms (${fmt((f.allInCpuSeconds / f.windowS) * 100, 1)} % of one core) | | |`,
    `| Redis commands per check (per second; INFO commandstats, so commands run inside scripts count too) | ${fmt((f.redisCommands.total * f.windowS) / Math.max(1, f.stored), 1)} (${fmt(f.redisCommands.total, 0)}/s; busiest: ${f.redisCommands.byCommand
      .slice(0, 4)
      .map(([name, rate]) => `${name} ${fmt(rate, 0)}/s`)
      .join(", ")}) | | |`,
    `| rows/s inserted into check_results | ${fmt(f.rowsPerS, 1)} | | |`,
    `| PostgreSQL (our database): commits/s, tuples inserted/s, updated/s | ${fmt(f.pg.xactsPerS, 1)}, ${fmt(f.pg.tuplesInsertedPerS, 1)}, ${fmt(f.pg.tuplesUpdatedPerS, 1)} | | |`,
    `| outcomes of the stored checks | ${outcomes} | | |`,
    `| largest checks-stream depth seen (checks not yet handed to a worker, sampled every 5 s) | ${fmt(f.maxQueueDepth)} | | |`,
    `| longest event-loop delay of the 1 s probe (${Object.keys(f.maxLoopDelayMs).join(" / ")}; a stall shows only as far as it holds up a tick) | ${Object.values(
      f.maxLoopDelayMs,
    )
      .map((v) => fmt(v))
      .join(" / ")} ms | | |`,
    `| last reconcile pass (every minute): duration, schedule bytes read from Redis | ${fmt(f.reconcile.durationMs)} ms, ${fmt(f.reconcile.bytesRead / 1024)} kB | | |`,
    "",
    "| process | | CPU s in window | % of one core | CPU ms per check | RSS at end MB | peak RSS in window MB | VmHWM MB |",
    "|---|---|---:|---:|---:|---:|---:|---:|",
    ...ours.map(cpuRow),
    `| **our processes** | ours | **${fmt(f.oursCpuSeconds, 1)}** | ${fmt((f.oursCpuSeconds / f.windowS) * 100, 1)} % | **${fmt(f.cpuMsPerCheck, 2)}** | | | |`,
    `| **all-in** (ours + Redis + PostgreSQL backends below) | | **${fmt(f.allInCpuSeconds, 1)}** | ${fmt((f.allInCpuSeconds / f.windowS) * 100, 1)} % | **${fmt(f.allInMsPerCheck, 2)}** | | | |`,
    ...notOurs.map(cpuRow),
    `| whole machine (${f.machineCores} cores) | | ${fmt(f.machineBusyCoreS, 1)} | ${fmt((f.machineBusyCoreS / f.windowS) * 100, 1)} % | | | | |`,
    "",
    `Lag is \`checked_at − response time − tick\` for each stored result (the database keeps \`checked_at\` = the worker's finish time, and the check's own response time; the difference is the start, plus the runner's few ms of overhead, so this is an upper bound on \`start − tick\`). The alerter's \`upfleet_schedule_lag_seconds\` histogram (exact start − tick, buckets 50 ms … 60 s, diffed between two scrapes) is shown as a cross-check; the workers' own histogram saw ${fmt(f.lagWorker.shareUnder1s * 100, 2)} % ≤ 1 s over ${fmt(f.lagWorker.count)} checks started in the window. The target answered ${fmt(f.targetRequests)} requests in the window.`,
  ].join("\n");
}

const SECTION = "## Check pipeline (pnpm bench:fleet)";
const INTRO = `\`pnpm bench:fleet\` (\`bench/fleet.ts\`) runs the real pipeline: N http monitors seeded straight into a
fresh PostgreSQL database, the real alerter (scheduler lease, dispatcher, reconciler, batched result ingest)
and K real workers as child processes (\`LOG_LEVEL=warn\`, \`OUTBOUND_ALLOW_CIDRS=127.0.0.0/8\`), checking a
keep-alive node:http target on loopback that runs in a process of its own. After the warm-up it measures one
window. CPU and RSS come from \`/proc/<pid>/stat\` and \`/proc/<pid>/status\` sampled at the window's start and
end (RSS also every 5 s); "ours" means the API, the alerter and the workers, and "all-in" adds Redis (a
redis-server of the run's own, so its CPU and \`INFO commandstats\` are the run's alone) and the PostgreSQL
backends of the bench database; the target and PostgreSQL's shared server processes are reported apart. Missed ticks are each monitor's grid ticks (\`k × interval + offset(id)\`) inside the
window minus the rows stored for them. \`--quick\` is 1,000 monitors, 20 s warm-up and a 60 s window; see
\`pnpm bench:fleet --help\`. Each configuration rewrites only its own block below.`;

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  await mkdir(RESULTS, { recursive: true });
  const about = await machine();
  console.log(about);
  console.log(
    `${fmt(config.monitors)} monitors × ${config.intervalS} s (${fmt(config.monitors / config.intervalS, 1)} checks/s), ${config.workers} worker(s) × CONCURRENCY ${config.concurrency}; warm-up ${config.warmupS} s, window ${config.durationS} s`,
  );

  const { database, redis, db } = await freshServices(1);
  const ownRedis = await startOwnRedis(config.redisHz);
  const roleUrls = acl ? await createAclUsers(ownRedis.url, redis.prefix, REGION) : undefined;

  const target = await startHelper(path.join(HERE, "fleet/target.ts"), "target");
  const seeding = Date.now();
  const monitorIds = await seed(db, target.url);
  console.log(`database ${database.name}, Redis prefix ${redis.prefix}, target ${target.url}`);
  console.log(`seeded ${fmt(monitorIds.length)} monitors in ${fmt((Date.now() - seeding) / 1000, 1)} s`);

  const profileDir = path.join(RESULTS, "profiles", `fleet-${Date.now()}`);
  if (profile) await mkdir(profileDir, { recursive: true });
  const profileFile = (role: string) => path.join(profileDir, `${role.replace(/\s+/g, "-")}.cpuprofile`);
  // Node 20 refuses --cpu-prof in NODE_OPTIONS: a preload starts and stops V8's profiler on SIGUSR2,
  // around the window. Profiled apps run from source (tsx), so the profile names our files.
  const profiling = (role: string) =>
    profile
      ? {
          NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${pathToFileURL(path.join(HERE, "fleet/cpu-profile.mjs")).href}`,
          BENCH_CPU_PROFILE: profileFile(role),
        }
      : {};
  const services = (role: "api" | "alerter" | "worker") => ({
    REDIS_URL: roleUrls?.[role] ?? ownRedis.url,
    REDIS_PREFIX: redis.prefix,
  });
  // The API is part of "the system up" (issue #15): it polls nothing for checks, but its timers count.
  const start = { fromSource: profile };
  const api = await startProcess(
    "api",
    "api",
    { ...services("api"), ...profiling("api"), DATABASE_URL: database.url, REGIONS: REGION },
    start,
  );
  const workers: App[] = [];
  for (let i = 1; i <= config.workers; i++) {
    workers.push(
      await startProcess(
        `worker ${i}`,
        "worker",
        {
          ...services("worker"),
          ...profiling(`worker ${i}`),
          REGION,
          CONCURRENCY: String(config.concurrency),
          OUTBOUND_ALLOW_CIDRS: "127.0.0.0/8",
          DATABASE_URL: undefined,
        },
        start,
      ),
    );
  }
  const alerter = await startProcess(
    "alerter",
    "alerter",
    { ...services("alerter"), ...profiling("alerter"), DATABASE_URL: database.url, REGIONS: REGION },
    start,
  );
  /** The processes serving /metrics (the alerter first); the API serves none on its port. */
  const apps = [alerter, ...workers];
  const ourApps = [api, ...apps];
  const pidOf = (app: App) => app.process.child.pid!;
  console.log(`started ${ourApps.map((a) => `${a.role} (pid ${pidOf(a)})`).join(", ")}`);

  // Warm-up: the alerter reconciles at start (every monitor gets its first tick within one interval).
  const warmEnd = Date.now() + config.warmupS * 1000;
  while (Date.now() < warmEnd) {
    await sleep(Math.min(10_000, warmEnd - Date.now()));
    const [counted] = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM check_results`;
    const dispatched = total(await scrape(alerter), "upfleet_checks_dispatched_total");
    const left = Math.max(0, Math.round((warmEnd - Date.now()) / 1000));
    console.log(
      `warm-up: ${fmt(dispatched)} checks dispatched, ${fmt(counted?.n ?? 0)} results stored; ${left} s left`,
    );
  }

  const redisPids = [ownRedis.pid];
  const ourPids = ourApps.map(pidOf);
  const targetPid = target.child.pid!;

  // Window start.
  const pgBefore = await pgStats(db);
  const redisBefore = await redisCommandCalls(ownRedis.url);
  const startPids = [
    ...ourPids,
    targetPid,
    process.pid,
    ...redisPids,
    ...pgBefore.ourBackends.map((b) => b.pid),
    ...pgBefore.serverProcesses.map((b) => b.pid),
  ];
  const servedBefore = (await target.ask<{ served: number }>("count")).served;
  const [metricsBefore, ...workerMetricsBefore] = await Promise.all(apps.map(scrape));
  if (profile) for (const app of ourApps) process.kill(pidOf(app), "SIGUSR2");
  const windowStart = Date.now();
  const procBefore = await snapshot(startPids);
  // Idle only: under load the sampler would miss most statements and cost the harness CPU.
  const statements = idleRun ? sampleStatements(database.url, database.name) : undefined;
  const machineBefore = await sampleMachine();
  console.log(`window: ${config.durationS} s from ${new Date(windowStart).toISOString()}`);

  const peakRss = new Map<number, number>();
  let maxQueueDepth = 0;
  const maxLoopDelayMs: Record<string, number> = {};
  const windowEnd = windowStart + config.durationS * 1000;
  while (Date.now() < windowEnd) {
    await sleep(Math.min(5_000, windowEnd - Date.now()));
    for (const sample of (await snapshot(ourPids)).values()) {
      peakRss.set(sample.pid, Math.max(peakRss.get(sample.pid) ?? 0, sample.rssKb));
    }
    // Idle, a scrape would be most of the work measured (the queue-depth gauge reads the checks stream).
    if (idleRun) continue;
    const scrapes = await Promise.all(apps.map(scrape));
    const depth = total(scrapes[0]!, "upfleet_queue_depth");
    maxQueueDepth = Math.max(maxQueueDepth, depth);
    apps.forEach((app, i) => {
      // Node's histogram records the time between the probe's ticks, so the probe's own second is in it.
      const stall = Math.max(0, total(scrapes[i]!, "nodejs_eventloop_lag_max_seconds") * 1000 - EVENT_LOOP_PROBE_MS);
      maxLoopDelayMs[app.role] = Math.max(maxLoopDelayMs[app.role] ?? 0, stall);
    });
    const left = Math.max(0, Math.round((windowEnd - Date.now()) / 1000));
    if (left % 30 < 5 || left < 5) console.log(`window: ${left} s left; checks waiting in the stream ${fmt(depth)}`);
  }

  // Window end.
  const windowEndActual = Date.now();
  const procAfter = await snapshot(startPids);
  const pgStatements = await statements?.stop((Date.now() - windowStart) / 1000);
  if (profile) for (const app of ourApps) process.kill(pidOf(app), "SIGUSR2");
  const machineAfter = await sampleMachine();
  const [metricsAfter, ...workerMetricsAfter] = await Promise.all(apps.map(scrape));
  const servedAfter = (await target.ask<{ served: number }>("count")).served;
  const redisAfter = await redisCommandCalls(ownRedis.url);
  const pgAfter = await pgStats(db);
  const newBackends = pgAfter.ourBackends.map((b) => b.pid).filter((pid) => !procBefore.has(pid));
  const procAfterNew = await snapshot(newBackends);
  for (const [pid, sample] of procAfterNew) procAfter.set(pid, sample);
  for (const sample of procAfter.values()) {
    if (ourPids.includes(sample.pid)) peakRss.set(sample.pid, Math.max(peakRss.get(sample.pid) ?? 0, sample.rssKb));
  }

  // Results for ticks near the end may still be in flight: give them the check timeout and some.
  const graceMs = idleRun ? 0 : TIMEOUT_MS + 5_000;
  console.log(`window closed; waiting ${graceMs / 1000} s for the last ticks' results`);
  await sleep(graceMs);

  const from = new Date(windowStart);
  const to = new Date(windowEnd);
  const windowS = (windowEnd - windowStart) / 1000;
  const perMonitor = await db.$queryRaw<{ monitor_id: string; n: number }[]>`
    SELECT m.id AS monitor_id, count(*)::int AS n FROM check_results r JOIN monitors m ON m.seq = r.monitor_seq
    WHERE r.tick >= ${from} AND r.tick < ${to} GROUP BY m.id`;
  const storedBy = new Map(perMonitor.map((r) => [r.monitor_id, r.n]));
  let expectedTicks = 0;
  let missedTicks = 0;
  let surplusRows = 0;
  let monitorsMissing = 0;
  for (const id of monitorIds) {
    const expected = ticksIn(id, windowStart, windowEnd);
    const stored = storedBy.get(id) ?? 0;
    expectedTicks += expected;
    if (stored < expected) monitorsMissing++;
    missedTicks += Math.max(0, expected - stored);
    surplusRows += Math.max(0, stored - expected);
  }
  const stored = perMonitor.reduce((n, r) => n + r.n, 0);
  const [lag] = await db.$queryRaw<{ p50: number; p99: number; max: number; over: number }[]>`
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY lag) AS p50,
           percentile_cont(0.99) WITHIN GROUP (ORDER BY lag) AS p99,
           max(lag) AS max, count(*) FILTER (WHERE lag > 1000)::int AS over
    FROM (SELECT (extract(epoch FROM checked_at - tick) * 1000
                  - coalesce(response_ms, (details -> 'timings' ->> 'total')::numeric, 0))::float8 AS lag
          FROM check_results WHERE tick >= ${from} AND tick < ${to}) AS s`;
  const lateSeconds = (
    await db.$queryRaw<{ second: Date; late: number; max: number }[]>`
      SELECT date_trunc('second', tick) AS second, count(*)::int AS late, max(lag)::float8 AS max
      FROM (SELECT tick, extract(epoch FROM checked_at - tick) * 1000
                         - coalesce(response_ms, (details -> 'timings' ->> 'total')::numeric, 0) AS lag
            FROM check_results WHERE tick >= ${from} AND tick < ${to}) AS s
      WHERE lag > 1000 GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10`
  ).map((r) => ({ tick: r.second.toISOString(), late: r.late, maxLagMs: Math.round(r.max) }));
  const outcomeRows = await db.$queryRaw<{ status: string; n: number }[]>`
    SELECT status::text AS status, count(*)::int AS n FROM check_results
    WHERE tick >= ${from} AND tick < ${to} GROUP BY status ORDER BY status`;
  // Rows keep no insert time: a check's finish time is it to within the ingest's quarter-second batching.
  const [insertedRow] = await db.$queryRaw<{ inserted: number }[]>`
    SELECT count(*)::int AS inserted FROM check_results WHERE checked_at >= ${from} AND checked_at < ${to}`;

  const lagHistogram = (before: Sample[], after: Sample[], name: string) => {
    const buckets = diffHistogram(histogram(before, name), histogram(after, name));
    return {
      p50: histogramQuantile(buckets, 0.5),
      p99: histogramQuantile(buckets, 0.99),
      shareUnder1s: shareAtOrBelow(buckets, 1),
      count: [...buckets].at(-1)?.[1] ?? 0,
    };
  };
  const sumWorkers = (samples: Sample[][]) => samples.flat();
  const workerOutcomes: Record<string, number> = {};
  for (const outcome of ["up", "degraded", "down", "skipped"]) {
    const after = total(sumWorkers(workerMetricsAfter), "upfleet_worker_checks_total", { outcome });
    const before = total(sumWorkers(workerMetricsBefore), "upfleet_worker_checks_total", { outcome });
    if (after - before > 0) workerOutcomes[outcome] = after - before;
  }

  const rssMb = (pid: number) => (procAfter.get(pid)?.rssKb ?? 0) / 1024;
  const rows: Row[] = ourApps.map((app) => ({
    name: app.role,
    ours: true,
    cpuSeconds: cpuBetween(procBefore, procAfter, [pidOf(app)]),
    rssMb: rssMb(pidOf(app)),
    peakRssMb: (peakRss.get(pidOf(app)) ?? 0) / 1024,
    hwmMb: (procAfter.get(pidOf(app))?.hwmKb ?? 0) / 1024,
  }));
  const ourBackendPids = [...new Set([...pgBefore.ourBackends, ...pgAfter.ourBackends].map((b) => b.pid))];
  const serverPids = pgBefore.serverProcesses.map((b) => b.pid);
  const redisCpuSeconds = cpuBetween(procBefore, procAfter, redisPids);
  const pgBackendsCpuSeconds = cpuBetween(procBefore, procAfter, ourBackendPids);
  rows.push(
    {
      name: "HTTP target",
      ours: false,
      cpuSeconds: cpuBetween(procBefore, procAfter, [targetPid]),
      rssMb: rssMb(targetPid),
      hwmMb: (procAfter.get(targetPid)?.hwmKb ?? 0) / 1024,
    },
    {
      name: `PostgreSQL backends of the bench database (${ourBackendPids.length})`,
      ours: false,
      cpuSeconds: pgBackendsCpuSeconds,
    },
    {
      name: `PostgreSQL server processes (${pgBefore.serverProcesses.map((p) => p.type).join(", ")}; shared)`,
      ours: false,
      cpuSeconds: cpuBetween(procBefore, procAfter, serverPids),
    },
    { name: `Redis (the run's own server, hz ${config.redisHz})`, ours: false, cpuSeconds: redisCpuSeconds },
    { name: "bench harness", ours: false, cpuSeconds: cpuBetween(procBefore, procAfter, [process.pid]) },
  );
  const measuredCpu = rows.reduce((n, r) => n + r.cpuSeconds, 0);
  const machineBusyCoreS = machineAfter.busySeconds - machineBefore.busySeconds;
  rows.push({ name: "everything else on the machine", ours: false, cpuSeconds: machineBusyCoreS - measuredCpu });
  const oursCpuSeconds = rows.filter((r) => r.ours).reduce((n, r) => n + r.cpuSeconds, 0);
  const allInCpuSeconds = oursCpuSeconds + redisCpuSeconds + pgBackendsCpuSeconds;
  // The harness's one INFO after the window's first is the only command of its own in between.
  const redisRates = commandRates(redisBefore, redisAfter, windowS, { info: 1 });

  const figures: Figures = {
    date: new Date(windowStart).toISOString(),
    machine: about,
    command,
    config,
    targetUrl: target.url,
    windowS,
    expectedChecksPerS: config.monitors / config.intervalS,
    checksPerS: stored / windowS,
    stored,
    outcomes: Object.fromEntries(outcomeRows.map((r) => [r.status, r.n])),
    expectedTicks,
    missedTicks,
    monitorsMissing,
    surplusRows,
    lagDb: {
      p50: lag?.p50 ?? Number.NaN,
      p99: lag?.p99 ?? Number.NaN,
      max: lag?.max ?? Number.NaN,
      overOneSecond: lag?.over ?? 0,
    },
    lagAlerter: lagHistogram(metricsBefore!, metricsAfter!, "upfleet_schedule_lag_seconds"),
    lagWorker: lagHistogram(
      sumWorkers(workerMetricsBefore),
      sumWorkers(workerMetricsAfter),
      "upfleet_worker_schedule_lag_seconds",
    ),
    workerOutcomes,
    targetRequests: servedAfter - servedBefore,
    rowsPerS: (insertedRow?.inserted ?? 0) / windowS,
    pg: {
      xactsPerS: (pgAfter.xacts - pgBefore.xacts) / windowS,
      tuplesInsertedPerS: (pgAfter.inserted - pgBefore.inserted) / windowS,
      tuplesUpdatedPerS: (pgAfter.updated - pgBefore.updated) / windowS,
    },
    maxQueueDepth,
    maxLoopDelayMs,
    reconcile: {
      durationMs: total(metricsAfter!, "upfleet_reconcile_duration_seconds") * 1000,
      bytesRead: total(metricsAfter!, "upfleet_reconcile_read_bytes"),
    },
    lateSeconds,
    rows,
    oursCpuSeconds,
    cpuMsPerCheck: (oursCpuSeconds * 1000) / Math.max(1, stored),
    allInCpuSeconds,
    allInMsPerCheck: (allInCpuSeconds * 1000) / Math.max(1, stored),
    redisCommands: redisRates,
    pgStatements,
    machineBusyCoreS,
    machineCores: os.availableParallelism(),
    childWarnings: Object.fromEntries(apps.map((a) => [a.role, a.process.lines.slice(-20)])),
  };
  if (windowEndActual - windowEnd > 2_000) {
    console.warn(`note: the window closed ${windowEndActual - windowEnd} ms late (the harness was starved)`);
  }
  if (lateSeconds.length > 0) {
    console.log("seconds with the most checks started > 1 s late (tick second: count, worst lag):");
    console.log(lateSeconds.map((l) => `  ${l.tick}: ${l.late}, ${fmt(l.maxLagMs)} ms`).join("\n"));
  }
  if (surplusRows > 0) console.warn(`note: ${surplusRows} stored rows are off the expected tick grid`);

  const text = idleRun ? renderIdle(figures, IDLE_TARGET) : render(figures);
  console.log(`\n${text}\n`);
  for (const app of apps) {
    if (app.process.lines.length > 0) {
      console.log(`${app.role} logged ${app.process.lines.length} lines at warn or above; the last ones:`);
      console.log(app.process.lines.slice(-5).join("\n"));
    }
  }
  const resultFile = process.env[RESULT_FILE_ENV] ?? path.join(RESULTS, `fleet-${runKey}-${Date.now()}.json`);
  await writeFile(resultFile, JSON.stringify(figures, null, 2));
  console.log(`results: ${path.relative(ROOT, resultFile)}`);
  if (args.write && !profile) {
    await writeBlock({ bench: "fleet", key: runKey, section: SECTION, intro: INTRO, body: text });
    console.log(`BENCHMARKS.md: block "${runKey}" of "${SECTION.slice(3)}" updated`);
  }

  if (profile) {
    for (const app of ourApps) {
      const file = profileFile(app.role);
      const written = await waitFor(() => stat(file).then(() => true), { timeoutMs: 60_000, what: file }).catch(
        () => false,
      );
      if (!written) {
        console.log(`${app.role}: no profile written`);
        continue;
      }
      const summary = await summarizeProfile(file);
      await writeFile(file.replace(/\.cpuprofile$/, ".txt"), summary);
      console.log(`\n=== ${app.role} ===\n${summary}`);
    }
    console.log(`\nprofiles: ${path.relative(ROOT, profileDir)}`);
  }
}

/** `--sweep`: each size is a single run in a child process (see fleet/sweep.ts); one table of them all. */
async function sweep(sizes: number[]): Promise<void> {
  await mkdir(RESULTS, { recursive: true });
  const about = await machine();
  const date = new Date().toISOString();
  const runs: RunFigures[] = [];
  const files: string[] = [];
  for (const monitors of sizes) {
    const window = sweepWindow(monitors, config.intervalS);
    const childArgs = [
      ["--monitors", monitors],
      ["--interval", config.intervalS],
      ["--warmup", args.given("warmup") ? config.warmupS : window.warmupS],
      ["--duration", args.given("duration") ? config.durationS : window.durationS],
      ["--workers", config.workers],
      ["--concurrency", config.concurrency],
    ].flatMap(([name, value]) => [String(name), String(value)]);
    if (args.given("redis-hz")) childArgs.push("--redis-hz", String(config.redisHz));
    if (acl) childArgs.push("--acl");
    console.log(`\n=== sweep: ${fmt(monitors)} monitors (bench:fleet ${childArgs.join(" ")}) ===`);
    const file = childResultFile(RESULTS, monitors);
    runs.push(await runChild(childArgs, file));
    files.push(path.relative(ROOT, file));
  }
  const text = renderSweep(runs, { date, machine: about, command, results: files });
  console.log(`\n${text}\n`);
  if (args.write) {
    await writeBlock({ bench: "fleet", key: runKey, section: SECTION, intro: INTRO, body: text });
    console.log(`BENCHMARKS.md: block "${runKey}" of "${SECTION.slice(3)}" updated`);
  }
}

await run(sweepSizes ? () => sweep(sweepSizes) : main);
