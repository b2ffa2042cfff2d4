import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { Db, Monitor, Prisma } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import { firstDue, TYPE_DEFAULTS } from "@upfleet/monitors";
import { type ResultJob, resultsStreamKey } from "@upfleet/queue";
import {
  type AppProcess,
  createTestDatabase,
  createTestRedis,
  monitorRow,
  startApp,
  type TestDatabase,
  type TestRedis,
  testDb,
} from "@upfleet/testing";
import { closedAfterFile, test } from "@upfleet/testing/fixtures";
import { Redis } from "ioredis";
import type { OnTestFinishedHandler } from "vitest";

const ALERTER_DIR = fileURLToPath(new URL("..", import.meta.url));
const WORKER_DIR = fileURLToPath(new URL("../../worker", import.meta.url));
const API_DIR = fileURLToPath(new URL("../../api", import.meta.url));

/** `hang`: take the request and never answer (the socket stays open until the client gives up). */
type Behaviour = { status: number; delayMs?: number; hang?: boolean };

export interface Target {
  url: string;
  /** Sets how every path answers (unless `behaveAt` says otherwise for a path). */
  behave(b: Behaviour): void;
  /** Sets how one path answers; `undefined` returns it to the common behaviour. */
  behaveAt(path: string, b: Behaviour | undefined): void;
  hits: Map<string, number>;
  /** Every request in arrival order: when it arrived and when its connection closed (epoch ms). */
  requests: { path: string; at: number; closedAt?: number }[];
  /** Requests per path whose connection is still open (unanswered, not abandoned by the client). */
  open: Map<string, number>;
  close(): Promise<void>;
}

/** An HTTP target on loopback whose answer a test can change, counting requests per path. */
async function startTarget(): Promise<Target> {
  let behaviour: Behaviour = { status: 200 };
  const byPath = new Map<string, Behaviour>();
  const hits = new Map<string, number>();
  const requests: Target["requests"] = [];
  const open = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? "/";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const request: Target["requests"][number] = { path, at: Date.now() };
    requests.push(request);
    open.set(path, (open.get(path) ?? 0) + 1);
    res.on("close", () => {
      request.closedAt = Date.now();
      open.set(path, (open.get(path) ?? 1) - 1);
    });
    const { status, delayMs = 0, hang = false } = byPath.get(path) ?? behaviour;
    if (hang) return;
    const timer = setTimeout(() => res.writeHead(status).end("service ok"), delayMs);
    res.on("close", () => clearTimeout(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    behave: (b) => {
      behaviour = b;
    },
    behaveAt: (path, b) => {
      if (b) byPath.set(path, b);
      else byPath.delete(path);
    },
    hits,
    requests,
    open,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type HttpMonitor = (url: string, fields?: Partial<Prisma.MonitorUncheckedCreateInput>) => Promise<Monitor>;

/** Adds http monitors of `organizationId` straight into `db`, checked every 10 s. */
const httpMonitors =
  (db: Db, organizationId: string): HttpMonitor =>
  (url, fields = {}) =>
    db.monitor.create({
      data: monitorRow(organizationId, {
        name: url,
        settings: { ...TYPE_DEFAULTS.http, url } as Prisma.InputJsonValue,
        intervalSeconds: 10,
        timeoutMs: 2_000,
        ...fields,
      }),
    });

/** A database with one organization, and a way to add monitors straight into it. */
async function seedDatabase(): Promise<{ database: TestDatabase; db: Db; httpMonitor: HttpMonitor }> {
  const database = await createTestDatabase();
  const db = testDb(database.url);
  const organizationId = newId("organization");
  await db.organization.create({ data: { id: organizationId, name: "Acme" } });
  return { database, db, httpMonitor: httpMonitors(db, organizationId) };
}

export interface Services {
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
}

type LaunchOptions = Parameters<typeof startApp>[0];

/** How to launch the alerter on `s`: with `startApp`, or a test's `apps` group, which kills it when the test ends. */
export function alerterApp(s: Services, env: Record<string, string> = {}, timeoutMs = 60_000): LaunchOptions {
  return {
    cwd: ALERTER_DIR,
    env: {
      DATABASE_URL: s.databaseUrl,
      REDIS_URL: s.redisUrl,
      REDIS_PREFIX: s.redisPrefix,
      HEALTH_PORT: "0",
      REGIONS: "local",
      LOG_LEVEL: "info",
      ...env,
    },
    timeoutMs,
  };
}

export function startAlerter(
  s: Services,
  timeoutMs = 60_000,
  env: Record<string, string> = {},
): Promise<AppProcess & { url: string }> {
  return startApp(alerterApp(s, env, timeoutMs));
}

/** How to launch the API on `s`, with open signup (the tests sign up their own users). */
export function apiApp(s: Services, timeoutMs = 60_000, env: Record<string, string> = {}): LaunchOptions {
  return {
    cwd: API_DIR,
    env: {
      DATABASE_URL: s.databaseUrl,
      REDIS_URL: s.redisUrl,
      REDIS_PREFIX: s.redisPrefix,
      PORT: "0",
      REGIONS: "local",
      OPEN_SIGNUP: "true",
      // info: startApp reads the port from the "api listening" line.
      LOG_LEVEL: "info",
      ...env,
    },
    timeoutMs,
  };
}

export function startApi(
  s: Services,
  timeoutMs = 60_000,
  env: Record<string, string> = {},
): Promise<AppProcess & { url: string }> {
  return startApp(apiApp(s, timeoutMs, env));
}

/** How to launch a worker on `s`, as `alerterApp` does for the alerter. */
export function workerApp(s: Services, env: Record<string, string> = {}, timeoutMs = 60_000): LaunchOptions {
  return {
    cwd: WORKER_DIR,
    env: {
      REDIS_URL: s.redisUrl,
      REDIS_PREFIX: s.redisPrefix,
      HEALTH_PORT: "0",
      REGION: "local",
      OUTBOUND_ALLOW_CIDRS: "127.0.0.0/8",
      // The TLS tests' certificates are issued for localhost, an internal name opened here as an operator would.
      INTERNAL_DNS_ALLOW_SUFFIXES: "localhost",
      LOG_LEVEL: "info",
      DATABASE_URL: undefined,
      ...env,
    },
    timeoutMs,
  };
}

function startWorker(
  s: Services,
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<AppProcess & { url: string }> {
  return startApp(workerApp(s, env, timeoutMs));
}

/** One stored check as the fault tests compare them: times in epoch ms, and the worker that ran it. */
export interface StoredCheck {
  tick: number;
  checkedAt: number;
  status: string;
  httpStatus: number | null;
  responseMs: number | null;
  error: string | null;
}

export async function storedChecks(db: Db, monitorId: string): Promise<StoredCheck[]> {
  const rows = await db.checkResult.findMany({ where: { monitor: { id: monitorId } }, orderBy: { tick: "asc" } });
  return rows.map((r) => ({
    tick: r.tick.getTime(),
    checkedAt: r.checkedAt.getTime(),
    status: r.status,
    httpStatus: r.httpStatus,
    responseMs: r.responseMs,
    error: r.error,
  }));
}

/** The checks a worker says it ran (its /metrics), of one `type` if given, stale ones it skipped left out. */
export async function checksRun(workerUrl: string, type?: string): Promise<number> {
  const text = await (await fetch(`${workerUrl}/metrics`)).text();
  return text
    .split("\n")
    .filter((line) => line.startsWith("upfleet_worker_checks_total{") && !line.includes('outcome="skipped"'))
    .filter((line) => type === undefined || line.includes(`type="${type}"`))
    .reduce((sum, line) => sum + Number(line.split(" ").at(-1)), 0);
}

/** A gauge or counter's value on a /metrics page, for the series of `name` with `label` (other labels aside). */
export async function metricValue(baseUrl: string, name: string, label: string): Promise<number | undefined> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name}{`) && l.includes(label));
  return line === undefined ? undefined : Number(line.split(" ").at(-1));
}

/** The ticks of the grid between the first and the last of `ticks` that are not among them. */
export function missingTicks(ticks: number[], intervalMs: number): number[] {
  if (ticks.length === 0) return [];
  const have = new Set(ticks);
  const missing: number[] = [];
  for (let t = Math.min(...ticks); t <= Math.max(...ticks); t += intervalMs) if (!have.has(t)) missing.push(t);
  return missing;
}

/** Where in each interval a monitor's ticks fall (ms after the interval's start); it follows from the id. */
export function tickPhase(monitorId: string, intervalSeconds: number): number {
  return firstDue({ id: monitorId, intervalSeconds } as Monitor, 0) % (intervalSeconds * 1000);
}

/** A fresh monitor id whose ticks fall `phaseMs` (± toleranceMs) into each interval: lines two monitors up. */
export function monitorIdAtPhase(intervalSeconds: number, phaseMs: number, toleranceMs = 100): string {
  const intervalMs = intervalSeconds * 1000;
  const wanted = ((phaseMs % intervalMs) + intervalMs) % intervalMs;
  for (;;) {
    const id = newId("monitor");
    const distance = Math.abs(tickPhase(id, intervalSeconds) - wanted);
    if (Math.min(distance, intervalMs - distance) <= toleranceMs) return id;
  }
}

/**
 * A sandbox on Redis logical database `database` (reserved for one test, which may empty it), stopped
 * when the test finishes. `flush` empties that database, after checking that only test files' keys
 * (prefix `t` + 10 hex digits) are in it, and returns when it did.
 */
export async function flushableSandbox(
  database: number,
  onTestFinished: (fn: OnTestFinishedHandler) => void,
): Promise<{ s: Sandbox; redis: Redis; flush(): Promise<number> }> {
  const s = await startSandbox(createTestRedis(database));
  onTestFinished(() => s.stop());
  const redis = new Redis(s.redis.url);
  onTestFinished(() => {
    redis.disconnect();
  });
  return {
    s,
    redis,
    async flush() {
      const foreign = (await redis.keys("*")).filter((key) => !/^t[0-9a-f]{10}:/.test(key));
      if (foreign.length) throw new Error(`not only test keys in Redis database ${database}: ${foreign.slice(0, 5)}`);
      await redis.flushdb();
      return Date.now();
    },
  };
}

type StartedApp = AppProcess & { url: string };

/** Fault tests start several processes at once, on a machine running other suites: allow them time. */
const START_TIMEOUT_MS = 90_000;

/** A whole pipeline of its own for one test: database, Redis prefix, target, and the processes it starts. */
export interface Sandbox {
  seed: Awaited<ReturnType<typeof seedDatabase>>;
  db: Db;
  target: Target;
  redis: TestRedis;
  services: Services;
  /** Starts a worker (region "local" unless `env` says otherwise); `id` is the id it reports results under. */
  worker(env?: Record<string, string>): Promise<StartedApp & { id: string }>;
  alerter(env?: Record<string, string>): Promise<StartedApp>;
  /** SIGKILLs every process it started, then closes the target and drops the database and Redis keys. */
  stop(): Promise<void>;
}

export async function startSandbox(redis: TestRedis = createTestRedis()): Promise<Sandbox> {
  const seed = await seedDatabase();
  const target = await startTarget();
  const services: Services = { databaseUrl: seed.database.url, redisUrl: redis.url, redisPrefix: redis.prefix };
  const apps: AppProcess[] = [];
  const track = async <T extends AppProcess>(starting: Promise<T>): Promise<T> => {
    const app = await starting;
    apps.push(app);
    return app;
  };
  return {
    seed,
    db: seed.db,
    target,
    redis,
    services,
    async worker(env = {}) {
      const app = await track(startWorker(services, env, START_TIMEOUT_MS));
      const started = await app.waitForLog((entry) => entry.msg === "worker started");
      return { ...app, id: String(started.id) };
    },
    alerter: (env = {}) => track(startAlerter(services, START_TIMEOUT_MS, env)),
    async stop() {
      await Promise.all(apps.map((app) => app.stop("SIGKILL")));
      await target.close();
      await seed.db.$disconnect();
      await seed.database.drop();
      await redis.cleanup();
    },
  };
}

/**
 * `test` with the file's `services` (its database and Redis space, as the apps read them), a `target`
 * of its own, `httpMonitor` to add monitors in its organization, and `startPipeline`, which starts an
 * alerter and a worker on them in the test's `apps` group.
 */
export const it = test.extend<{
  services: Services;
  target: Target;
  httpMonitor: HttpMonitor;
  startPipeline: () => Promise<void>;
}>({
  services: [
    async ({ database, redis }, use) =>
      use({ databaseUrl: database.url, redisUrl: redis.url, redisPrefix: redis.prefix }),
    { scope: "file" },
  ],
  target: closedAfterFile(startTarget),
  httpMonitor: [async ({ db, organizationId }, use) => use(httpMonitors(db, organizationId)), { scope: "file" }],
  startPipeline: async ({ services, apps }, use) =>
    use(async () => {
      await apps.start(alerterApp(services));
      await apps.start(workerApp(services));
    }),
});

/**
 * The results in a region's stream, by the round id each was published under: what workers published
 * and no alerter has stored yet (an alerter deletes the entries it stored).
 */
export async function streamedResults(redis: Redis, prefix: string, region = "local") {
  const entries = await redis.xrange(resultsStreamKey(prefix, region), "-", "+");
  return entries.flatMap(([, fields]) =>
    fields.flatMap((field, i) => (i % 2 === 0 ? [{ id: field, result: JSON.parse(fields[i + 1]!) as ResultJob }] : [])),
  );
}
