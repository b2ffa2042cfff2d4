import { createDb, type Db } from "@upfleet/db";
import { type Receiver, startReceiver } from "@upfleet/delivery/testing";
import { COLUMNS } from "@upfleet/exports";
import { asRead, expectedRows, readExportFile } from "@upfleet/exports/testing";
import {
  type AppProcess,
  createTestDatabase,
  createTestRedis,
  monitorRow,
  type TestDatabase,
  waitFor,
} from "@upfleet/testing";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOTIFY_ENV, payloadOf, routing } from "./notifications-support.ts";
import { type Services, startAlerter, startApi } from "./support.ts";

/**
 * Exports end to end: the API takes them, the real alerter builds them, the signed link downloads
 * them without a credential. Also what an at-least-once build must survive: its job lost with
 * Redis's keys, its process SIGKILLed mid-file. Each completed export reaches a webhook once.
 */
const DAY = 86_400_000;
const FROM = new Date(Date.now() - 2 * DAY);
const TO = new Date(Date.now() + 3_600_000);
/** Small chunks, so that even the small exports span several and a big one takes a while to write. */
const ALERTER_ENV = { ...NOTIFY_ENV, EXPORT_SWEEP_INTERVAL_MS: "1000", EXPORT_CHUNK_BYTES: "16384" };
/** Enough checks that a build is still writing when the test kills its process. */
const BIG = 60_000;

const redis = createTestRedis();
let database: TestDatabase;
let db: Db;
let services: Services;
let api: AppProcess & { url: string };
let alerter: (AppProcess & { url: string }) | undefined;
let session: string;
let organizationId: string;
let small: string;
let big: string;
let receiver: Receiver;

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${api.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${session}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
  return { status: res.status, body: (await res.json()) as any };
}

/**
 * Checks straight into the database, with text that needs CSV quoting and JSON escaping; `first`
 * numbers their ticks (seconds after FROM), so two monitors' checks need different ones.
 */
async function seedChecks(monitorId: string, first: number, count: number): Promise<void> {
  await db.$executeRaw`
    INSERT INTO check_results (monitor_seq, region, tick, checked_at, status, response_ms, http_status, error, message, details)
    SELECT (SELECT seq FROM monitors WHERE id = ${monitorId}), CASE WHEN g % 2 = 0 THEN 'eu-west' ELSE 'local' END,
      ${FROM}::timestamptz + g * interval '1 second', ${FROM}::timestamptz + g * interval '1 second' + interval '120 ms',
      (CASE WHEN g % 9 = 0 THEN 'down' ELSE 'up' END)::"CheckOutcome", 100 + g % 400, 200,
      CASE WHEN g % 9 = 0 THEN 'said "no",' || chr(10) || 'closed' END, CASE WHEN g % 4 = 0 THEN 'ünï, ✓' END,
      jsonb_build_object('n', g, 'note', 'a,"b"')
    FROM generate_series(${first}::int, ${first + count - 1}::int) g`;
}

async function createExport(body: Record<string, unknown>): Promise<string> {
  const res = await call("POST", "/exports", { from: FROM.toISOString(), to: TO.toISOString(), ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.id;
}

/** The export.completed bodies the webhook received, by export id. */
const notified = () => {
  const byId = new Map<string, Record<string, unknown>[]>();
  for (const request of receiver.at("/exports")) {
    const payload = payloadOf(request) as unknown as { event: string; export: { id: string } };
    expect(payload.event).toBe("export.completed");
    byId.set(payload.export.id, [...(byId.get(payload.export.id) ?? []), payload.export]);
  }
  return byId;
};

/** Waits for `ids`' export.completed, then checks that every export was notified once, linkless. */
async function expectNotifiedOnce(ids: readonly string[]) {
  await waitFor(() => ids.every((id) => notified().has(id)), { timeoutMs: 30_000, what: "export.completed webhooks" });
  for (const [id, bodies] of notified()) {
    expect(bodies, id).toHaveLength(1);
    expect(bodies[0]).toMatchObject({ id, download_url: null });
  }
}

const completed = (id: string, timeoutMs = 30_000) =>
  waitFor(
    async () => {
      const res = await call("GET", `/exports/${id}`);
      if (res.body.status === "failed") throw new Error(`export failed: ${res.body.error}`);
      return res.body.status === "completed" ? res.body : null;
    },
    { timeoutMs, intervalMs: 100, what: `export ${id} completed` },
  );

/** Downloads through the signed link, with no credential, and compares with the stored rows. */
async function expectFileMatches(
  exp: Record<string, unknown>,
  scope: { type: "checks" | "incidents"; monitorIds: string[] },
) {
  const link = new URL(exp.download_url as string);
  const res = await fetch(`${api.url}${link.pathname}${link.search}`);
  expect(res.status).toBe(200);
  const bytes = Buffer.from(await res.arrayBuffer());
  expect(bytes.length).toBe(exp.size_bytes);
  const rows = await expectedRows(db, { organizationId, from: FROM, to: TO, ...scope });
  expect(exp.row_count).toBe(rows.length);
  const format = exp.format as "csv" | "json" | "ndjson";
  const columns = COLUMNS[scope.type];
  const read = readExportFile(bytes.toString("utf8"), format, columns);
  expect(read.length).toBe(rows.length);
  expect(read).toEqual(asRead(rows, format, columns));
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url);
  services = { databaseUrl: database.url, redisUrl: redis.url, redisPrefix: redis.prefix };
  api = await startApi(services, 30_000);
  const signup = await fetch(`${api.url}/api/v1/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "ops@example.com", password: "correct horse battery", organization_name: "Ops" }),
  });
  const account = (await signup.json()) as { token: string; organization: { id: string } };
  session = account.token;
  organizationId = account.organization.id;
  // Paused: the alerter dispatches no checks for them; their history is what is exported.
  const pausedMonitor = async () =>
    (await db.monitor.create({ data: monitorRow(organizationId, { paused: true }) })).id;
  small = await pausedMonitor();
  big = await pausedMonitor();
  await Promise.all([seedChecks(small, 1, 700), seedChecks(big, 1_000, BIG)]);
  const incident = await call("POST", "/incidents", { title: 'DB "primary", down', monitor_id: small });
  expect(incident.status).toBe(201);
  receiver = await startReceiver();
  const hooks = routing(db, organizationId);
  const hook = await hooks.webhook(`${receiver.url}/exports`);
  await hooks.rule({ events: ["export.completed"], channelIds: [hook.id] });
});
afterAll(async () => {
  await receiver?.close();
  await alerter?.stop("SIGKILL");
  await api?.stop("SIGKILL");
  await db?.$disconnect();
  await database?.drop();
  await redis.cleanup();
});

describe("exports, built by the alerter", { timeout: 180_000 }, () => {
  it("completes each format and type; the link alone downloads exactly the stored rows", async () => {
    alerter = await startAlerter(services, 30_000, ALERTER_ENV);
    const made = [
      { type: "checks", format: "csv", monitor_ids: [small] },
      { type: "checks", format: "json", monitor_ids: [small] },
      { type: "checks", format: "ndjson", monitor_ids: [small] },
      { type: "incidents", format: "csv" },
      { type: "incidents", format: "ndjson" },
    ] as const;
    const ids = await Promise.all(made.map((body) => createExport(body)));
    for (const [i, body] of made.entries()) {
      const exp = await completed(ids[i]!);
      await expectFileMatches(exp, { type: body.type, monitorIds: "monitor_ids" in body ? [...body.monitor_ids] : [] });
    }
    await expectNotifiedOnce(ids);
    await alerter.stop();
    alerter = undefined;
  });

  it("completes once an export whose job Redis lost before any alerter took it (the sweeper)", async () => {
    const id = await createExport({ type: "checks", format: "csv", monitor_ids: [small] });
    const client = new Redis(redis.url);
    try {
      const keys = await client.keys(`${redis.prefix}:*`);
      expect(keys.some((key) => key.includes(":exports:"))).toBe(true);
      await client.del(...keys);
    } finally {
      client.disconnect();
    }
    alerter = await startAlerter(services, 30_000, ALERTER_ENV);
    const exp = await completed(id);
    await expectFileMatches(exp, { type: "checks", monitorIds: [small] });
    expect(await db.export.findUniqueOrThrow({ where: { id } })).toMatchObject({ attempts: 1, status: "completed" });
  });

  it("completes after its alerter is SIGKILLed mid-file, without a duplicate row", async () => {
    const id = await createExport({ type: "checks", format: "ndjson", monitor_ids: [big] });
    await waitFor(async () => (await db.exportChunk.count({ where: { exportId: id } })) >= 3, {
      timeoutMs: 20_000,
      intervalMs: 20,
      what: "the build writing its first chunks",
    });
    await alerter!.stop("SIGKILL");
    const partial = await db.export.findUniqueOrThrow({ where: { id } });
    expect(partial).toMatchObject({ status: "processing", attempts: 1 });
    alerter = await startAlerter(services, 30_000, ALERTER_ENV);
    // The job comes back ~15 s after the kill (lock, then a stalled-job pass), then the 60,000 rows are
    // built again from scratch: generous, as the other test files load the machine too.
    const exp = await completed(id, 90_000);
    await expectFileMatches(exp, { type: "checks", monitorIds: [big] });
    expect(exp.row_count).toBe(BIG);
    expect(await db.export.findUniqueOrThrow({ where: { id } })).toMatchObject({ attempts: 2 });
    await expectNotifiedOnce([id]);
  });
});
