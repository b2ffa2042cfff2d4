/**
 * `pnpm bench:alerting`: alerting on real processes (one worker, one alerter), against a target and a
 * webhook receiver on loopback in a process of their own.
 *
 * (a) Detection latency: M http monitors at interval S with `confirmations: 1` check the target; once
 *     every monitor is up, the target starts answering 500 at a known instant; the time from that
 *     instant to each monitor's `monitor.down` webhook arriving at the receiver, p50/p99/max.
 * (b) Delivery throughput: K webhook channels and a rule sending `monitor.degraded` to all of them;
 *     E such events are written at once (as the results ingest writes them), and the time from the
 *     write to the last of the E × K webhooks received gives deliveries per second, fan-out included.
 *
 * Prints a table and rewrites its block in the "Alerting" section of BENCHMARKS.md. See `--help`.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Db } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import { waitFor } from "@upfleet/testing";
import type { Received } from "./alerting/target.ts";
import { publish } from "./lib/benchmarks-md.ts";
import { benchArgs } from "./lib/cli.ts";
import { fmt, machine, quantile, run, sleep } from "./lib/harness.ts";
import { startHelper, startProcess } from "./lib/processes.ts";
import { blockHead, type RunInfo, verdict } from "./lib/report.ts";
import { benchOrganization, freshServices, seedHttpMonitors } from "./lib/services.ts";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REGION = "local";
const TARGET = { deliveriesPerS: 500, slackMs: 2_000 } as const;

const HELP = `pnpm bench:alerting [--monitors M] [--interval S] [--channels K] [--events E] [--no-write]

  --monitors M   http monitors watched for the detection latency (default 200)
  --interval S   their interval in seconds (default 10)
  --channels K   webhook channels for the throughput run (default 10)
  --events E     monitor.degraded events written at once for it (default 1,000: E × K deliveries)
  --no-write     leave BENCHMARKS.md alone (results still go to bench/results/)`;

const args = benchArgs(HELP, ["monitors", "interval", "channels", "events"]);
const config = {
  monitors: args.int("monitors", 200, 1),
  intervalS: args.int("interval", 10, 10),
  channels: args.int("channels", 10, 1),
  events: args.int("events", 1_000, 1),
};
const command = ["pnpm bench:alerting", ...process.argv.slice(2)].join(" ");

async function seed(db: Db, targetUrl: string) {
  const organizationId = await benchOrganization(db);
  const monitorIds = await seedHttpMonitors(db, organizationId, config.monitors, {
    targetUrl,
    intervalS: config.intervalS,
    timeoutMs: 2_000,
    region: REGION,
    fields: { confirmations: 1 },
  });
  const channel = (name: string, hookPath: string) => ({
    id: newId("channel"),
    organizationId,
    name,
    type: "webhook" as const,
    config: { url: `${targetUrl}${hookPath}`, secret: "whsec_YmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtYmVuY2g=" },
  });
  const downChannel = channel("on call", "/hook/down");
  const throughputChannels = Array.from({ length: config.channels }, (_, k) => channel(`fan ${k}`, `/hook/fan/${k}`));
  await db.notificationChannel.createMany({ data: [downChannel, ...throughputChannels] });
  await db.notificationRule.createMany({
    data: [
      {
        id: newId("rule"),
        organizationId,
        name: "down to on call",
        events: ["monitor.down"],
        monitorIds: [],
        tags: [],
        channelIds: [downChannel.id],
      },
      {
        id: newId("rule"),
        organizationId,
        name: "degraded everywhere",
        events: ["monitor.degraded"],
        monitorIds: [],
        tags: [],
        channelIds: throughputChannels.map((c) => c.id),
      },
    ],
  });
  return { organizationId, monitorIds };
}

interface Figures extends RunInfo {
  config: typeof config;
  detection: { received: number; p50: number; p99: number; max: number; firstMs: number; eventP99: number };
  throughput: { expected: number; received: number; seconds: number; perS: number; duplicates: number };
}

function render(f: Figures): string {
  const c = f.config;
  const d = f.detection;
  const t = f.throughput;
  const latencyTarget = c.intervalS * 1000 + TARGET.slackMs;
  return [
    ...blockHead(`${fmt(c.monitors)} monitors × ${c.intervalS} s; ${fmt(c.events)} events × ${c.channels} channels`, f),
    `| (a) target turns bad → \`monitor.down\` webhook received, p50 / p99 / max | ${fmt(d.p50)} / ${fmt(d.p99)} / ${fmt(d.max)} ms (${fmt(d.received)} of ${fmt(c.monitors)} received; first after ${fmt(d.firstMs)} ms) | p99 ≤ ${fmt(latencyTarget)} ms (interval + 2 s) | ${verdict(d.received === c.monitors && d.p99 <= latencyTarget)} |`,
    `| (a) of which: turns bad → \`monitor.down\` event written, p99 | ${fmt(d.eventP99)} ms | | |`,
    `| (b) deliveries per second, events written → last webhook received | ${fmt(t.perS, 0)} (${fmt(t.received)} of ${fmt(t.expected)} in ${fmt(t.seconds, 2)} s; ${fmt(t.duplicates)} received twice) | ≥ ${TARGET.deliveriesPerS} | ${verdict(t.received >= t.expected && t.perS >= TARGET.deliveriesPerS)} |`,
  ].join("\n");
}

const BLOCK = {
  bench: "alerting",
  section: "## Alerting (pnpm bench:alerting)",
  intro: `\`pnpm bench:alerting\` (\`bench/alerting.ts\`) runs one real worker and one real alerter (\`LOG_LEVEL=warn\`,
\`OUTBOUND_ALLOW_CIDRS=127.0.0.0/8\`) on a fresh database, against a target and a webhook receiver on loopback in a
process of their own. (a) Detection latency: monitors with \`confirmations: 1\` watch the target; once all are up the
target answers 500 from a known instant, and each monitor's \`monitor.down\` webhook is timed from that instant (it
includes the wait for the monitor's next tick, up to one interval). (b) Delivery throughput: \`monitor.degraded\`
events written at once, routed by one rule to K webhook channels; deliveries per second from the write to the last
webhook received, fan-out and signing included. Each configuration rewrites only its own block below.`,
};

async function main(): Promise<void> {
  const about = await machine();
  console.log(about);
  const { database, redis, db } = await freshServices();

  const target = await startHelper(path.join(HERE, "alerting/target.ts"), "target and receiver");
  const { organizationId, monitorIds } = await seed(db, target.url);
  const services = { REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix, OUTBOUND_ALLOW_CIDRS: "127.0.0.0/8" };
  await startProcess("worker", "worker", { ...services, REGION, DATABASE_URL: undefined });
  await startProcess("alerter", "alerter", { ...services, DATABASE_URL: database.url, REGIONS: REGION });

  console.log(`(a) ${fmt(config.monitors)} monitors × ${config.intervalS} s: waiting for every one to be up`);
  await waitFor(async () => (await db.monitor.count({ where: { status: "up" } })) === config.monitors, {
    timeoutMs: (config.intervalS + 60) * 1000,
    intervalMs: 500,
    what: "every monitor up",
  });
  // Any phase of the interval: the instant is not lined up with the ticks.
  await sleep(Math.random() * config.intervalS * 1000);
  const { at: badAt } = await target.ask<{ at: number }>("bad");
  console.log(`target answers 500 from ${new Date(badAt).toISOString()}`);
  const downHooks = async () =>
    (await target.ask<{ received: Received[] }>("received")).received.filter((r) => r.path === "/hook/down");
  await waitFor(async () => new Set((await downHooks()).map((r) => r.monitorId)).size >= config.monitors, {
    timeoutMs: (config.intervalS * 3 + 30) * 1000,
    intervalMs: 250,
    what: "every monitor.down webhook",
  }).catch((error: unknown) => console.warn(`(a) ${(error as Error).message}`));
  const firstByMonitor = new Map<string, number>();
  for (const r of await downHooks()) {
    if (r.event === "monitor.down" && r.monitorId && !firstByMonitor.has(r.monitorId))
      firstByMonitor.set(r.monitorId, r.at);
  }
  const latencies = [...firstByMonitor.values()].map((at) => at - badAt);
  const events = await db.monitorEvent.findMany({ where: { type: "monitor.down" }, select: { createdAt: true } });
  const eventLatencies = events.map((e) => e.createdAt.getTime() - badAt);

  console.log(`(b) ${fmt(config.events)} monitor.degraded events × ${config.channels} channels`);
  const eventsAt = Date.now();
  // Recent ticks (a day-old event is routed without notifying), distinct per monitor.
  const base = Date.now() - config.events;
  await db.monitorEvent.createMany({
    data: Array.from({ length: config.events }, (_, i) => ({
      id: newId("event"),
      organizationId,
      monitorId: monitorIds[i % monitorIds.length]!,
      type: "monitor.degraded",
      fromStatus: "up" as const,
      toStatus: "degraded" as const,
      tick: new Date(base + i),
      cause: { response_ms: 900, http_status: 200, region: REGION },
      // Already applied to incidents (degraded opens none), so the fan-out takes them at once.
      processedAt: new Date(),
    })),
  });
  const expected = config.events * config.channels;
  const fanHooks = async () =>
    (await target.ask<{ received: Received[] }>("received")).received.filter((r) => r.path.startsWith("/hook/fan/"));
  // Polled as a count: the whole list, serialised and parsed four times a second, cost the 2-core box
  // CPU the pipeline being measured competes for.
  const fanCount = async () => (await target.ask<{ count: number }>("count /hook/fan/")).count;
  await waitFor(async () => (await fanCount()) >= expected, {
    timeoutMs: 300_000,
    intervalMs: 250,
    what: "every throughput webhook",
  }).catch((error: unknown) => console.warn(`(b) ${(error as Error).message}`));
  const fan = await fanHooks();
  const lastAt = Math.max(...fan.map((r) => r.at));
  const seconds = (lastAt - eventsAt) / 1000;
  const distinct = new Set(fan.map((r) => r.id)).size;

  const figures: Figures = {
    date: new Date(badAt).toISOString(),
    machine: about,
    command,
    config,
    detection: {
      received: firstByMonitor.size,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      max: Math.max(...latencies),
      firstMs: Math.min(...latencies),
      eventP99: quantile(eventLatencies, 0.99),
    },
    throughput: {
      expected,
      received: distinct,
      seconds,
      perS: distinct / seconds,
      duplicates: Math.max(0, fan.length - distinct),
    },
  };
  await publish({ ...BLOCK, text: render(figures), figures, write: args.write });
}

await run(main);
