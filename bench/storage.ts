/**
 * `pnpm bench:storage`: what check history costs at steady state. Seeds a fresh database with
 * `--monitors` monitors' results every 30 s for `--days` simulated days (straight into PostgreSQL,
 * with their rollups), running the retention job after each day as the alerter would with
 * RETENTION_CHECK_DAYS=`--retention`; then measures bytes per stored check, whether disk stays flat,
 * the ingest statement's throughput, the retention job on a full day of 10,000 monitors (and how long
 * ingest waits on it), and the API's /checks and /uptime latency. Rewrites BENCHMARKS.md's
 * "Storage" section. `--quick`: a smaller run for a try.
 */
import type { Server } from "node:http";
import { parseArgs } from "node:util";
import { parseEnv } from "@upfleet/config";
import { createSqlPool, type Db, type SqlClient } from "@upfleet/db";
import { storeBatch } from "@upfleet/ingest";
import { resultJob } from "@upfleet/ingest/testing";
import {
  compactClosedPartitions,
  dropCheckPartitionsBefore,
  ensureCheckPartitions,
  retentionEnv,
  retentionPolicy,
  runRetention,
} from "@upfleet/lifecycle";
import { createLogger } from "@upfleet/logger";
import { HISTOGRAM_SIZE } from "@upfleet/monitoring";
import { monitorRow } from "@upfleet/testing";
import { z } from "zod";
import { createApp } from "../apps/api/src/app.ts";
import { createApiDeps } from "../apps/api/src/bootstrap.ts";
import { ApiEnv } from "../apps/api/src/config.ts";
import { signUpWithKey } from "./lib/accounts.ts";
import { writeBlock } from "./lib/benchmarks-md.ts";
import { fmt, machine, onCleanup, run } from "./lib/harness.ts";
import { blockHead, verdict } from "./lib/report.ts";
import { freshServices } from "./lib/services.ts";

const DAY_MS = 86_400_000;
const INTERVAL_S = 30;
const CHECKS_PER_DAY = DAY_MS / 1000 / INTERVAL_S;
const FLEET = 10_000;
const TARGETS = {
  bytesPerCheck: 150,
  weekGrowth: 0.05,
  retentionMs: 1_000,
  ingestWaitMs: 100,
  rowsPerS: 5_000,
  p99Ms: 20,
};

const { values: args } = parseArgs({
  options: {
    monitors: { type: "string", default: "200" },
    days: { type: "string", default: "38" },
    retention: { type: "string", default: "30" },
    "ingest-seconds": { type: "string", default: "15" },
    quick: { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
  },
});
const quick = args.quick;
const monitors = quick ? 100 : Number(args.monitors);
const retention = quick ? 3 : Number(args.retention);
const days = quick ? 11 : Number(args.days);
const ingestSeconds = quick ? 5 : Number(args["ingest-seconds"]);
const dayMonitors = quick ? 1_000 : FLEET;

const startOfDay = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
const partitionName = (day: number) => `check_results_${new Date(day).toISOString().slice(0, 10).replaceAll("-", "")}`;
const TODAY = startOfDay(Date.now());

/**
 * One day of results for monitors [first, first + count): every 30 s, 1 % down with the details a
 * failure keeps, the rest up with none (as detailsToStore stores them); one statement, in the order
 * ingest writes them (a tick at a time across every monitor), which is what loosens the index.
 */
async function seedDay(db: Db, day: number, firstSeq: number, count: number): Promise<void> {
  await db.$executeRaw`
    INSERT INTO check_results (tick, checked_at, monitor_seq, status, response_ms, http_status, region, error, message, details)
    SELECT t, t + interval '180 ms', s, CASE WHEN down THEN 'down' ELSE 'up' END::"CheckOutcome",
           CASE WHEN down THEN NULL ELSE 80 + (s * 7 + n) % 300 END, CASE WHEN down THEN 503 ELSE 200 END,
           'eu-west', CASE WHEN down THEN 'status' END, CASE WHEN down THEN 'Expected status 200-299, got 503' END,
           CASE WHEN down THEN '{"ip": "203.0.113.7", "url": "https://example.com/health", "redirects": 0, "bodyBytes": 154, "reusedConnection": true, "timings": {"dns": 1, "connect": 12, "tls": 30, "firstByte": 95, "total": 97}, "worker": "wrk_01jf8zq3v5k6m7n8p9q0r1s2t3"}'::jsonb END
    FROM generate_series(0, ${CHECKS_PER_DAY - 1}::int) AS n
         -- "+ 0 * n" makes the monitors the inner loop.
         CROSS JOIN LATERAL generate_series(${firstSeq}::int + 0 * n, ${firstSeq + count - 1}::int) AS s,
         LATERAL (SELECT ${new Date(day)}::timestamptz + n * interval '30 s' + (s % 30) * interval '1 s' AS t,
                         (s * 31 + n) % 100 = 0 AS down) AS x`;
}

/** The day's hourly and daily rollups of every monitor, as ingest would have left them. */
async function seedRollups(db: Db, day: number): Promise<void> {
  const histogram = Array.from({ length: HISTOGRAM_SIZE }, (_, i) => (i === 6 ? 118 : i === 7 ? 1 : 0));
  await db.$executeRaw`
    INSERT INTO check_rollups (monitor_id, span, bucket, checks, failed, degraded, response_sum_ms, response_count, histogram)
    SELECT m.id, p.span, b, p.span / ${INTERVAL_S}, p.span / 3000, 0, 150 * p.span / ${INTERVAL_S}, p.span / ${INTERVAL_S}, ${histogram}::int[]
    FROM monitors m
    CROSS JOIN (VALUES (3600), (86400)) AS p(span)
    CROSS JOIN LATERAL generate_series(${new Date(day)}::timestamptz, ${new Date(day + DAY_MS - 1)}::timestamptz,
                                       p.span * interval '1 s') AS b`;
}

async function databaseBytes(db: Db): Promise<number> {
  const [row] = await db.$queryRaw<{ bytes: bigint }[]>`SELECT pg_database_size(current_database()) AS bytes`;
  return Number(row!.bytes);
}

/** Table + indexes + TOAST of one day's partition, per row. */
async function bytesPerCheck(db: Db, name: string): Promise<{ bytes: number; rows: number }> {
  const [row] = await db.$queryRawUnsafe<{ bytes: bigint; rows: number }[]>(
    `SELECT pg_total_relation_size('check_partitions.${name}') AS bytes,
            (SELECT count(*)::int FROM check_partitions.${name}) AS rows`,
  );
  return { bytes: Number(row!.bytes) / row!.rows, rows: row!.rows };
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, performance.now() - started];
}

/** Batches of 500 results (the ingest's batch) stored back to back for `seconds`: rows per second. */
async function ingestRate(sql: SqlClient, organizationId: string, ids: string[], seconds: number): Promise<number> {
  let rows = 0;
  let round = 0;
  const until = performance.now() + seconds * 1000;
  const tick0 = Date.now() - 3_600_000;
  while (performance.now() < until) {
    const jobs = Array.from({ length: 500 }, (_, k) => {
      const i = (round * 500 + k) % ids.length;
      const tick = tick0 + Math.floor((round * 500 + k) / ids.length) * INTERVAL_S * 1000;
      return resultJob({
        monitorId: ids[i]!,
        organizationId,
        region: "eu-west",
        tick,
        intervalMs: INTERVAL_S * 1000,
        status: k % 100 ? "up" : "down",
      });
    });
    rows += (await storeBatch(sql, jobs)).inserted;
    round++;
  }
  return rows / seconds;
}

/** Latencies (ms) of `count` sequential GETs of `path(i)` with the API key. */
async function latencies(url: string, key: string, count: number, path: (i: number) => string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const [res, ms] = await timed(() => fetch(`${url}${path(i)}`, { headers: { authorization: `Bearer ${key}` } }));
    if (res.status !== 200) throw new Error(`${path(i)}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    times.push(ms);
  }
  return times.sort((a, b) => a - b);
}

async function startApi(databaseUrl: string, redis: { url: string; prefix: string }) {
  const config = parseEnv(ApiEnv, {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    REDIS_PREFIX: redis.prefix,
    LOG_LEVEL: "warn",
    OPEN_SIGNUP: "true",
    RATE_LIMIT_PER_MINUTE: "100000000",
    RATE_LIMIT_PER_HOUR: "100000000",
    RETENTION_CHECK_DAYS: String(retention),
  });
  const { deps, close } = await createApiDeps(config, createLogger("api", "warn"));
  const server: Server = createApp(deps).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  onCleanup("stop the API", async () => {
    await new Promise((resolve) => server.close(resolve));
    await close();
  });
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url, ...(await signUpWithKey(url)) };
}

run(async () => {
  const { database, redis, db } = await freshServices(4);
  // The ingest's statements go through node-postgres, as in the alerter.
  const sql = createSqlPool(database.url);
  onCleanup("close the ingest's pool", () => sql.end());
  const api = await startApi(database.url, redis);
  const policy = retentionPolicy(parseEnv(z.object(retentionEnv), { RETENTION_CHECK_DAYS: String(retention) }));

  // The simulated fleet, then `days` days of history, oldest first, retention after each.
  for (let start = 0; start < monitors; start += 1_000) {
    const data = Array.from({ length: Math.min(1_000, monitors - start) }, () =>
      monitorRow(api.organizationId, { intervalSeconds: INTERVAL_S, regions: ["eu-west"] }),
    );
    await db.monitor.createMany({ data });
  }
  const seqs = await db.monitor.findMany({ select: { id: true, seq: true }, orderBy: { seq: "asc" } });
  const firstSeq = seqs[0]!.seq;
  const sizes: number[] = [];
  let seeding = 0;
  for (let d = days - 1; d >= 0; d--) {
    const day = TODAY - d * DAY_MS;
    await ensureCheckPartitions(db, new Date(day), 0);
    const [, ms] = await timed(async () => {
      await seedDay(db, day, firstSeq, monitors);
      await seedRollups(db, day);
    });
    seeding += ms;
    await runRetention(db, policy, { now: new Date(day + DAY_MS - 1) });
    await compactClosedPartitions(db, new Date(day + DAY_MS - 1));
    await db.$executeRawUnsafe("VACUUM ANALYZE check_rollups");
    sizes.push(await databaseBytes(db));
    process.stdout.write(`day ${days - d}/${days}: ${fmt(sizes.at(-1)! / 2 ** 20)} MiB\r`);
  }
  process.stdout.write("\n");
  const perCheck = await bytesPerCheck(db, partitionName(TODAY - DAY_MS));
  // Steady state: the retention period's days and the one being dropped; then a further week.
  const atRetention = sizes[Math.min(retention + 1, days) - 1]!;
  const afterWeek = sizes[Math.min(retention + 8, days) - 1]!;
  const growth = afterWeek / atRetention - 1;

  // The API at steady state.
  const pick = (i: number) => seqs[(i * 7919) % seqs.length]!.id;
  const checksLatency = await latencies(api.url, api.key, 300, (i) => `/api/v1/monitors/${pick(i)}/checks`);
  const uptime24h = await latencies(api.url, api.key, 300, (i) => `/api/v1/monitors/${pick(i)}/uptime?period=24h`);
  const uptime90d = await latencies(api.url, api.key, 300, (i) => `/api/v1/monitors/${pick(i)}/uptime?period=90d`);

  // Ingest: one process storing batches back to back.
  const rowsPerS = await ingestRate(
    sql,
    api.organizationId,
    seqs.map((m) => m.id),
    ingestSeconds,
  );

  // Retention on one full day of the 10,000-monitor fleet, while ingest keeps storing.
  const extra = dayMonitors - monitors;
  for (let start = 0; start < extra; start += 1_000) {
    const data = Array.from({ length: Math.min(1_000, extra - start) }, () =>
      monitorRow(api.organizationId, { intervalSeconds: INTERVAL_S, regions: ["eu-west"] }),
    );
    await db.monitor.createMany({ data });
  }
  const oldDay = TODAY - (retention + 5) * DAY_MS;
  await ensureCheckPartitions(db, new Date(oldDay), 0);
  await seedDay(db, oldDay, firstSeq, dayMonitors);
  const looseDay = await bytesPerCheck(db, partitionName(oldDay));
  const [, compactMs] = await timed(() => compactClosedPartitions(db));
  const fullDay = await bytesPerCheck(db, partitionName(oldDay));
  let storing = true;
  const waits: number[] = [];
  const ids = seqs.map((m) => m.id);
  const ingestLoop = (async () => {
    let round = 0;
    while (storing) {
      const jobs = ids.slice(0, 200).map((monitorId) =>
        resultJob({
          monitorId,
          organizationId: api.organizationId,
          region: "us-east",
          tick: Date.now() - 60_000 + round,
          intervalMs: INTERVAL_S * 1000,
          status: "up",
        }),
      );
      waits.push((await timed(() => storeBatch(sql, jobs)))[1]);
      round++;
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const baseline = [...waits].sort((a, b) => a - b);
  waits.length = 0;
  const [, dropMs] = await timed(() =>
    dropCheckPartitionsBefore(db, new Date(startOfDay(Date.now() - retention * DAY_MS))),
  );
  const [report, restMs] = await timed(() => runRetention(db, policy));
  await new Promise((resolve) => setTimeout(resolve, 500));
  storing = false;
  await ingestLoop;
  const during = [...waits].sort((a, b) => a - b);
  const extraWait = Math.max(0, during.at(-1)! - quantile(baseline, 0.99));

  const bytesPerDay = perCheck.bytes * FLEET * CHECKS_PER_DAY;
  const steady = bytesPerDay * (retention + 1);
  const rows: [string, string, string, boolean | null][] = [
    [
      "bytes on disk per stored check (table + index + TOAST)",
      fmt(perCheck.bytes, 1),
      `≤ ${TARGETS.bytesPerCheck}`,
      perCheck.bytes <= TARGETS.bytesPerCheck,
    ],
    [
      `… a full day of ${fmt(dayMonitors)} monitors (${fmt(fullDay.rows)} rows), compacted once closed`,
      fmt(fullDay.bytes, 1),
      `≤ ${TARGETS.bytesPerCheck}`,
      fullDay.bytes <= TARGETS.bytesPerCheck,
    ],
    ["… the same day as ingest leaves it (today's partition, until compacted)", fmt(looseDay.bytes, 1), "", null],
    ["compacting that closed day (REINDEX CONCURRENTLY, once)", `${fmt(compactMs / 1000, 1)} s`, "", null],
    ["projected raw results per day, 10,000 monitors @ 30 s", `${fmt(bytesPerDay / 2 ** 30, 2)} GiB`, "", null],
    [`projected raw results at steady state (${retention} + 1 days)`, `${fmt(steady / 2 ** 30, 1)} GiB`, "", null],
    [
      `database growth over a week at steady state (from day ${retention + 1})`,
      `${fmt(growth * 100, 1)} %`,
      `< ${TARGETS.weekGrowth * 100} %`,
      growth < TARGETS.weekGrowth,
    ],
    [
      "ingest statement, one process (batches of 500)",
      `${fmt(rowsPerS)} rows/s`,
      `≥ ${fmt(TARGETS.rowsPerS)}`,
      rowsPerS >= TARGETS.rowsPerS,
    ],
    [
      `retention: dropping that ${fmt(fullDay.rows)}-row day`,
      `${fmt(dropMs)} ms`,
      `< ${fmt(TARGETS.retentionMs)} ms`,
      dropMs < TARGETS.retentionMs,
    ],
    [
      `retention: the rest of the run (rollups, pings, deliveries, events of ${fmt(dayMonitors)} monitors)`,
      `${fmt(restMs)} ms`,
      "",
      null,
    ],
    [
      "longest ingest batch during the drop and the run, beyond its usual p99",
      `${fmt(extraWait)} ms (${fmt(during.at(-1)!)} vs ${fmt(quantile(baseline, 0.99))})`,
      `< ${TARGETS.ingestWaitMs} ms`,
      extraWait < TARGETS.ingestWaitMs,
    ],
    [
      "GET /monitors/:id/checks p50 / p99",
      `${fmt(quantile(checksLatency, 0.5), 1)} / ${fmt(quantile(checksLatency, 0.99), 1)} ms`,
      `p99 < ${TARGETS.p99Ms} ms`,
      quantile(checksLatency, 0.99) < TARGETS.p99Ms,
    ],
    [
      "GET /monitors/:id/uptime?period=24h p50 / p99",
      `${fmt(quantile(uptime24h, 0.5), 1)} / ${fmt(quantile(uptime24h, 0.99), 1)} ms`,
      `p99 < ${TARGETS.p99Ms} ms`,
      quantile(uptime24h, 0.99) < TARGETS.p99Ms,
    ],
    [
      "GET /monitors/:id/uptime?period=90d p50 / p99",
      `${fmt(quantile(uptime90d, 0.5), 1)} / ${fmt(quantile(uptime90d, 0.99), 1)} ms`,
      `p99 < ${TARGETS.p99Ms} ms`,
      quantile(uptime90d, 0.99) < TARGETS.p99Ms,
    ],
  ];
  const command = quick ? "pnpm bench:storage --quick" : "pnpm bench:storage";
  const body = [
    ...blockHead(
      `${fmt(monitors)} monitors @ ${INTERVAL_S} s, ${days} simulated days, raw retention ${retention} days`,
      {
        date: new Date().toISOString(),
        machine: await machine(),
        command,
      },
    ),
    ...rows.map(
      ([figure, measured, target, ok]) => `| ${figure} | ${measured} | ${target} | ${ok === null ? "" : verdict(ok)} |`,
    ),
    "",
    `Seeding ${fmt(days)} days took ${fmt(seeding / 1000, 1)} s; the last retention run dropped ${report.partitionsDropped.length} partition(s) and deleted ${JSON.stringify(report.deleted)}.`,
  ].join("\n");
  console.log(body);
  if (!args["no-write"]) {
    await writeBlock({
      bench: "storage",
      key: quick ? "quick" : "full",
      section: "## Storage and retention",
      intro:
        "How much disk a stored check costs, whether disk stays flat once retention runs, how fast a batch is stored, what the retention job costs ingest, and how fast history reads are at steady state (issue #12). Raw results are seeded straight into PostgreSQL; the projections multiply the measured bytes per check by 10,000 monitors every 30 s.",
      body,
    });
  }
});
