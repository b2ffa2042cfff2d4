/**
 * `pnpm bench:heartbeat`: heartbeat monitoring on real processes (the API and one alerter).
 *
 * (a) Ping ingest: autocannon sends success pings to N heartbeat monitors' URLs, a random token per
 *     request, for D seconds: pings/s and latency p50/p99 (each answer comes after the ping's batch
 *     is committed, so an answered ping is stored).
 * (b) Deadline precision: when the load stops every monitor goes silent at once; each one's deadline
 *     is its last ping + period (grace 0). Lateness = when the alerter wrote `monitor.down` − the
 *     deadline, p50/p99/max over the N monitors.
 *
 * Prints a table and rewrites its block in the "Heartbeats" section of BENCHMARKS.md. See `--help`.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import { TYPE_DEFAULTS } from "@upfleet/monitors";
import { waitFor } from "@upfleet/testing";
import autocannon from "autocannon";
import { publish } from "./lib/benchmarks-md.ts";
import { benchArgs } from "./lib/cli.ts";
import { fmt, machine, quantile, run } from "./lib/harness.ts";
import { startProcess } from "./lib/processes.ts";
import { blockHead, type RunInfo, verdict } from "./lib/report.ts";
import { benchOrganization, freshServices } from "./lib/services.ts";

const TARGET = { pingsPerS: 5_000, p99Ms: 20, latenessP99Ms: 2_000 } as const;
/** The pings are the load here, not what the limits guard against: raised out of the way. */
const UNLIMITED = "100000000";

const HELP = `pnpm bench:heartbeat [--monitors N] [--connections C] [--duration D] [--period S] [--no-write]

  --monitors N     heartbeat monitors, each pinged at random (default 1,000)
  --connections C  autocannon connections (default 32)
  --duration D     seconds of pings (default 15)
  --period S       the monitors' interval_seconds, grace 0: silence is down S s after the last ping (default 10)
  --no-write       leave BENCHMARKS.md alone (results still go to bench/results/)`;

const args = benchArgs(HELP, ["monitors", "connections", "duration", "period"]);
const config = {
  monitors: args.int("monitors", 1_000, 1),
  connections: args.int("connections", 32, 1),
  durationS: args.int("duration", 15, 1),
  periodS: args.int("period", 10, 1),
};
const command = ["pnpm bench:heartbeat", ...process.argv.slice(2)].join(" ");

async function seed(db: Db): Promise<string[]> {
  const organizationId = await benchOrganization(db);
  const tokens = Array.from({ length: config.monitors }, () => randomBytes(24).toString("base64url"));
  await db.monitor.createMany({
    data: tokens.map((heartbeatToken, i) => ({
      id: newId("monitor"),
      organizationId,
      name: `cron job ${i}`,
      type: "heartbeat" as const,
      settings: { ...TYPE_DEFAULTS.heartbeat, heartbeat_grace_minutes: 0 },
      intervalSeconds: config.periodS,
      timeoutMs: 10_000,
      regions: [],
      tags: ["bench"],
      heartbeatToken,
    })),
  });
  return tokens;
}

interface Figures extends RunInfo {
  config: typeof config;
  ingest: { pingsPerS: number; p50: number; p99: number; max: number; total: number; non2xx: number; errors: number };
  stored: number;
  deadlines: { down: number; p50: number; p99: number; max: number; spreadMs: number };
}

function render(f: Figures): string {
  const c = f.config;
  const i = f.ingest;
  const d = f.deadlines;
  return [
    ...blockHead(`${fmt(c.monitors)} monitors, ${c.connections} connections, ${c.durationS} s`, f),
    `| (a) success pings per second | ${fmt(i.pingsPerS)} (${fmt(i.total)} answered, ${fmt(i.non2xx)} not 2xx, ${fmt(i.errors)} errors) | ≥ ${fmt(TARGET.pingsPerS)} | ${verdict(i.pingsPerS >= TARGET.pingsPerS && i.non2xx === 0)} |`,
    `| (a) ping latency p50 / p99 / max | ${fmt(i.p50)} / ${fmt(i.p99)} / ${fmt(i.max)} ms | p99 < ${TARGET.p99Ms} ms | ${verdict(i.p99 < TARGET.p99Ms)} |`,
    `| (a) pings in the log afterwards | ${fmt(f.stored)} of ${fmt(i.total)} answered | all | ${verdict(f.stored >= i.total - i.non2xx)} |`,
    `| (b) deadline → \`monitor.down\` written, p50 / p99 / max | ${fmt(d.p50)} / ${fmt(d.p99)} / ${fmt(d.max)} ms (${fmt(d.down)} of ${fmt(c.monitors)} down; deadlines spread over ${fmt(d.spreadMs)} ms) | p99 ≤ ${fmt(TARGET.latenessP99Ms)} ms | ${verdict(d.down === c.monitors && d.p99 <= TARGET.latenessP99Ms)} |`,
  ].join("\n");
}

const BLOCK = {
  bench: "heartbeat",
  section: "## Heartbeats (pnpm bench:heartbeat)",
  intro: `\`pnpm bench:heartbeat\` (\`bench/heartbeat.ts\`) runs the real API and one real alerter (\`LOG_LEVEL=warn\`) on a
fresh database. (a) autocannon (in the harness process) sends \`GET /api/heartbeat/<token>\` to a random one of N
heartbeat monitors per request; the per-token and per-IP limits are raised out of the way (each ping still pays its
Redis limit check), and every answer waits for its batch's commit. (b) When the load stops, every monitor goes silent;
its deadline is its last ping + \`interval_seconds\` (grace 0), and the lateness is the \`monitor.down\` event's
\`created_at\` − its \`tick\` (the deadline). Each configuration rewrites only its own block below.`,
};

async function main(): Promise<void> {
  const about = await machine();
  console.log(about);
  const { database, redis, db } = await freshServices();
  const tokens = await seed(db);

  const services = { DATABASE_URL: database.url, REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix };
  const api = await startProcess("api", "api", {
    ...services,
    APP_SECRET: randomBytes(32).toString("hex"),
    HEARTBEAT_RATE_LIMIT_PER_MINUTE: UNLIMITED,
    HEARTBEAT_IP_RATE_LIMIT_PER_MINUTE: UNLIMITED,
  });
  await startProcess("alerter", "alerter", { ...services, REGIONS: "local" });

  const pick = () => `/api/heartbeat/${tokens[Math.floor(Math.random() * tokens.length)]}`;
  const load = (durationS: number) =>
    autocannon({
      url: api.url,
      connections: config.connections,
      duration: durationS,
      requests: [{ method: "GET", setupRequest: (request) => ({ ...request, path: pick() }) }],
    });
  console.log(`(a) warm-up 3 s, then ${config.durationS} s at ${config.connections} connections`);
  await load(3);
  const started = new Date();
  const result = await load(config.durationS);
  const loadEnd = new Date();

  console.log(`(b) every monitor silent from now; waiting for the ${config.periodS} s deadlines`);
  await waitFor(
    async () =>
      (await db.monitorEvent.count({ where: { type: "monitor.down", tick: { gte: loadEnd } } })) >= config.monitors,
    { timeoutMs: (config.periodS + 30) * 1000, intervalMs: 500, what: "every monitor down" },
  ).catch((error: unknown) => console.warn(`(b) ${(error as Error).message}`));
  // Only the silence after the load: at a few pings/s per token, an unlucky monitor can also miss a
  // period during it, and that is a real (earlier) deadline, not this measurement.
  const downs = await db.monitorEvent.findMany({
    where: { type: "monitor.down", tick: { gte: loadEnd } },
    select: { tick: true, createdAt: true },
  });
  const lateness = downs.map((e) => e.createdAt.getTime() - e.tick.getTime());
  const deadlines = downs.map((e) => e.tick.getTime());
  const stored = await db.heartbeatPing.count({ where: { createdAt: { gte: started } } });

  const figures: Figures = {
    date: started.toISOString(),
    machine: about,
    command,
    config,
    ingest: {
      pingsPerS: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
      total: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
    },
    stored,
    deadlines: {
      down: downs.length,
      p50: quantile(lateness, 0.5),
      p99: quantile(lateness, 0.99),
      max: Math.max(...lateness),
      spreadMs: Math.max(...deadlines) - Math.min(...deadlines),
    },
  };
  await publish({ ...BLOCK, text: render(figures), figures, write: args.write });
}

await run(main);
