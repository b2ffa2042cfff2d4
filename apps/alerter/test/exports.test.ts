import type { Db } from "@upfleet/db";
import { type Receiver, startReceiver } from "@upfleet/delivery/testing";
import { COLUMNS } from "@upfleet/exports";
import { asRead, expectedRows, readExportFile } from "@upfleet/exports/testing";
import { monitorRow, waitFor } from "@upfleet/testing";
import type { TestFixtures } from "@upfleet/testing/fixtures";
import { Redis } from "ioredis";
import { describe, expect } from "vitest";
import { NOTIFY_ENV, payloadOf, routing } from "./notifications-support.ts";
import { alerterApp, it as base, type Services, startApi } from "./support.ts";

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
/** Enough checks that a build is still writing when the test kills its process (~380 chunks; killed at 3). */
const BIG = 20_000;

/**
 * The file's API process with an owner signed up on it, two paused monitors with a history to export
 * (`small`, `big`) and an incident, and a webhook `receiver` routed export.completed.
 */
interface Exporting {
  db: Db;
  /** The API's base URL, and the owner's session on it. */
  apiUrl: string;
  session: string;
  organizationId: string;
  receiver: Receiver;
  small: string;
  big: string;
}

async function call(ex: Exporting, method: string, path: string, body?: unknown) {
  const res = await fetch(`${ex.apiUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${ex.session}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
  return { status: res.status, body: (await res.json()) as any };
}

/**
 * Checks straight into the database, with text that needs CSV quoting and JSON escaping; `first`
 * numbers their ticks (seconds after FROM), so two monitors' checks need different ones.
 */
async function seedChecks(db: Db, monitorId: string, first: number, count: number): Promise<void> {
  await db.$executeRaw`
    INSERT INTO check_results (monitor_seq, region, tick, checked_at, status, response_ms, http_status, error, message, details)
    SELECT (SELECT seq FROM monitors WHERE id = ${monitorId}), CASE WHEN g % 2 = 0 THEN 'eu-west' ELSE 'local' END,
      ${FROM}::timestamptz + g * interval '1 second', ${FROM}::timestamptz + g * interval '1 second' + interval '120 ms',
      (CASE WHEN g % 9 = 0 THEN 'down' ELSE 'up' END)::"CheckOutcome", 100 + g % 400, 200,
      CASE WHEN g % 9 = 0 THEN 'said "no",' || chr(10) || 'closed' END, CASE WHEN g % 4 = 0 THEN 'ünï, ✓' END,
      jsonb_build_object('n', g, 'note', 'a,"b"')
    FROM generate_series(${first}::int, ${first + count - 1}::int) g`;
}

/** Signs up the owner on the API at `apiUrl` and seeds what `Exporting` describes. */
async function seedExporting(db: Db, apiUrl: string, receiver: Receiver): Promise<Exporting> {
  const signup = await fetch(`${apiUrl}/api/v1/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "ops@example.com", password: "correct horse battery", organization_name: "Ops" }),
  });
  const account = (await signup.json()) as { token: string; organization: { id: string } };
  const organizationId = account.organization.id;
  // Paused: the alerter dispatches no checks for them; their history is what is exported.
  const pausedMonitor = async () =>
    (await db.monitor.create({ data: monitorRow(organizationId, { paused: true }) })).id;
  const small = await pausedMonitor();
  const big = await pausedMonitor();
  await Promise.all([seedChecks(db, small, 1, 700), seedChecks(db, big, 1_000, BIG)]);
  const ex = { db, apiUrl, session: account.token, organizationId, receiver, small, big };
  const incident = await call(ex, "POST", "/incidents", { title: 'DB "primary", down', monitor_id: small });
  expect(incident.status).toBe(201);
  const hooks = routing(db, organizationId);
  const hook = await hooks.webhook(`${receiver.url}/exports`);
  await hooks.rule({ events: ["export.completed"], channelIds: [hook.id] });
  return ex;
}

/** `ex`, set up for the file; the alerters are each test's own, in its `apps` group. */
const it = base.extend<{ ex: Exporting }>({
  ex: [
    async ({ db, services }, use) => {
      // Its owner polls each export every 100 ms: past the default 60 requests a minute on a loaded machine,
      // where the 429s left an export unseen as completed and the next test's POST refused.
      const api = await startApi(services, 60_000, { RATE_LIMIT_PER_MINUTE: "100000", RATE_LIMIT_PER_HOUR: "100000" });
      let receiver: Receiver | undefined;
      try {
        receiver = await startReceiver();
        await use(await seedExporting(db, api.url, receiver));
      } finally {
        await receiver?.close();
        await api.stop("SIGKILL");
      }
    },
    { scope: "file" },
  ],
});

/** An alerter with the file's settings, in the test's `apps` group (killed with its process group at the end). */
const startAlerter = (apps: TestFixtures["apps"], services: Services) => apps.start(alerterApp(services, ALERTER_ENV));

async function createExport(ex: Exporting, body: Record<string, unknown>): Promise<string> {
  const res = await call(ex, "POST", "/exports", { from: FROM.toISOString(), to: TO.toISOString(), ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.id;
}

/** The export.completed bodies the webhook received, by export id. */
const notified = (receiver: Receiver) => {
  const byId = new Map<string, Record<string, unknown>[]>();
  for (const request of receiver.at("/exports")) {
    const payload = payloadOf(request) as unknown as { event: string; export: { id: string } };
    expect(payload.event).toBe("export.completed");
    byId.set(payload.export.id, [...(byId.get(payload.export.id) ?? []), payload.export]);
  }
  return byId;
};

/** Waits for `ids`' export.completed, then checks that every export was notified once, linkless. */
async function expectNotifiedOnce({ receiver }: Exporting, ids: readonly string[]) {
  await waitFor(() => ids.every((id) => notified(receiver).has(id)), {
    timeoutMs: 30_000,
    what: "export.completed webhooks",
  });
  for (const [id, bodies] of notified(receiver)) {
    expect(bodies, id).toHaveLength(1);
    expect(bodies[0]).toMatchObject({ id, download_url: null });
  }
}

const completed = (ex: Exporting, id: string, timeoutMs = 30_000) =>
  waitFor(
    async () => {
      const res = await call(ex, "GET", `/exports/${id}`);
      if (res.body.status === "failed") throw new Error(`export failed: ${res.body.error}`);
      return res.body.status === "completed" ? res.body : null;
    },
    { timeoutMs, intervalMs: 100, what: `export ${id} completed` },
  );

/** Downloads through the signed link, with no credential, and compares with the stored rows. */
async function expectFileMatches(
  ex: Exporting,
  exp: Record<string, unknown>,
  scope: { type: "checks" | "incidents"; monitorIds: string[] },
) {
  const link = new URL(exp.download_url as string);
  const res = await fetch(`${ex.apiUrl}${link.pathname}${link.search}`);
  expect(res.status).toBe(200);
  const bytes = Buffer.from(await res.arrayBuffer());
  expect(bytes.length).toBe(exp.size_bytes);
  const rows = await expectedRows(ex.db, { organizationId: ex.organizationId, from: FROM, to: TO, ...scope });
  expect(exp.row_count).toBe(rows.length);
  const format = exp.format as "csv" | "json" | "ndjson";
  const columns = COLUMNS[scope.type];
  const read = readExportFile(bytes.toString("utf8"), format, columns);
  expect(read.length).toBe(rows.length);
  expect(read).toEqual(asRead(rows, format, columns));
}

/** A test of an extended `it` does not inherit its describe's timeout (vitest 3.2), so each names it. */
const TIMEOUT_MS = 180_000;

describe("exports, built by the alerter", () => {
  it(
    "completes each format and type; the link alone downloads exactly the stored rows",
    async ({ ex, services, apps }) => {
      const alerter = await startAlerter(apps, services);
      const made = [
        { type: "checks", format: "csv", monitor_ids: [ex.small] },
        { type: "checks", format: "json", monitor_ids: [ex.small] },
        { type: "checks", format: "ndjson", monitor_ids: [ex.small] },
        { type: "incidents", format: "csv" },
        { type: "incidents", format: "ndjson" },
      ] as const;
      const ids = await Promise.all(made.map((body) => createExport(ex, body)));
      for (const [i, body] of made.entries()) {
        const exp = await completed(ex, ids[i]!);
        await expectFileMatches(ex, exp, {
          type: body.type,
          monitorIds: "monitor_ids" in body ? [...body.monitor_ids] : [],
        });
      }
      await expectNotifiedOnce(ex, ids);
      await alerter.stop();
    },
    TIMEOUT_MS,
  );

  it(
    "completes once an export whose job Redis lost before any alerter took it (the sweeper)",
    async ({ ex, redis, services, apps }) => {
      const id = await createExport(ex, { type: "checks", format: "csv", monitor_ids: [ex.small] });
      const client = new Redis(redis.url);
      try {
        const keys = await client.keys(`${redis.prefix}:*`);
        expect(keys.some((key) => key.includes(":exports:"))).toBe(true);
        await client.del(...keys);
      } finally {
        client.disconnect();
      }
      const alerter = await startAlerter(apps, services);
      const exp = await completed(ex, id);
      await expectFileMatches(ex, exp, { type: "checks", monitorIds: [ex.small] });
      expect(await ex.db.export.findUniqueOrThrow({ where: { id } })).toMatchObject({
        attempts: 1,
        status: "completed",
      });
      // Stopped as the first test stops its alerter: what it still sends is recorded, so none arrives twice later.
      await alerter.stop();
    },
    TIMEOUT_MS,
  );

  it(
    "completes after its alerter is SIGKILLed mid-file, without a duplicate row",
    async ({ ex, services, apps }) => {
      const alerter = await startAlerter(apps, services);
      const id = await createExport(ex, { type: "checks", format: "ndjson", monitor_ids: [ex.big] });
      await waitFor(async () => (await ex.db.exportChunk.count({ where: { exportId: id } })) >= 3, {
        timeoutMs: 20_000,
        intervalMs: 20,
        what: "the build writing its first chunks",
      });
      await alerter.stop("SIGKILL");
      const partial = await ex.db.export.findUniqueOrThrow({ where: { id } });
      expect(partial).toMatchObject({ status: "processing", attempts: 1 });
      await startAlerter(apps, services);
      // The job comes back ~15 s after the kill (lock, then a stalled-job pass), then the 20,000 rows are
      // built again from scratch: generous, as the other test files load the machine too.
      const exp = await completed(ex, id, 90_000);
      await expectFileMatches(ex, exp, { type: "checks", monitorIds: [ex.big] });
      expect(exp.row_count).toBe(BIG);
      expect(await ex.db.export.findUniqueOrThrow({ where: { id } })).toMatchObject({ attempts: 2 });
      await expectNotifiedOnce(ex, [id]);
    },
    TIMEOUT_MS,
  );
});
