import { IncidentOpener } from "@upfleet/alerting";
import type { Db } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import { ResultIngest } from "@upfleet/ingest";
import { resultJob } from "@upfleet/ingest/testing";
import { createLogger } from "@upfleet/logger";
import { type AppProcess, createTestRedis, waitFor } from "@upfleet/testing";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Services, seedDatabase, startAlerter, startTarget, startWorker } from "./support.ts";

let seed: Awaited<ReturnType<typeof seedDatabase>>;
let db: Db;
const logger = createLogger("test", "silent");

beforeAll(async () => {
  seed = await seedDatabase();
  db = seed.db;
});
afterAll(async () => {
  await db?.$disconnect();
  await seed?.database.drop();
});

const T0 = Date.now() - 30 * 60_000;
const INTERVAL = 10_000;

const result = (monitorId: string, organizationId: string, tick: number, status: "up" | "down") =>
  resultJob({ monitorId, organizationId, region: "local", tick, intervalMs: INTERVAL, status });

const incidentsOf = (monitorId: string) =>
  db.incident.findMany({
    where: { monitorId },
    include: { updates: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] } },
    orderBy: { id: "asc" },
  });

describe("incidents from results, in process", () => {
  let ingest: ResultIngest;
  let opener: IncidentOpener;

  beforeAll(() => {
    // A poll far beyond the waits below: only the wake-up after ingest can make these tests pass.
    opener = new IncidentOpener({ db, logger, metrics: new Registry() }, { pollMs: 600_000 });
    ingest = new ResultIngest(
      { db, logger, metrics: new Registry() },
      { maxWaitMs: 10, onStateChange: () => opener.wake() },
    );
    opener.start();
  });
  afterAll(async () => {
    await ingest?.close();
    await opener?.stop();
  });

  it("opens exactly one incident for an outage, however often its results come, and recovery resolves it", async () => {
    const monitor = await seed.httpMonitor("https://example.com");
    const send = (tick: number, status: "up" | "down") =>
      ingest.handle(result(monitor.id, monitor.organizationId, tick, status));

    await send(T0, "up");
    await Promise.all([send(T0 + INTERVAL, "down"), send(T0 + INTERVAL, "down")]);
    await send(T0 + 2 * INTERVAL, "down");
    const [incident] = await waitFor(
      async () => {
        const found = await incidentsOf(monitor.id);
        return found.length ? found : null;
      },
      { what: "an incident for the outage" },
    );
    expect(incident).toMatchObject({
      title: `${monitor.name} is down`,
      status: "investigating",
      startedAt: new Date(T0 + INTERVAL),
      cause: expect.objectContaining({ error: "status", http_status: 503 }),
    });

    // The same down round delivered again, and its event handed back as if never consumed.
    await send(T0 + INTERVAL, "down");
    const event = await db.monitorEvent.findFirstOrThrow({ where: { monitorId: monitor.id, type: "monitor.down" } });
    await db.monitorEvent.update({ where: { id: event.id }, data: { processedAt: null } });
    opener.wake();
    await waitFor(
      async () => (await db.monitorEvent.findUniqueOrThrow({ where: { id: event.id } })).processedAt !== null,
      { what: "the event consumed again" },
    );
    expect(await incidentsOf(monitor.id)).toEqual([incident]);

    await send(T0 + 3 * INTERVAL, "up");
    const resolved = await waitFor(
      async () => {
        const [found] = await incidentsOf(monitor.id);
        return found?.resolvedAt ? found : null;
      },
      { what: "the incident resolved" },
    );
    expect(resolved).toMatchObject({
      id: incident!.id,
      status: "resolved",
      resolvedAt: new Date(T0 + 3 * INTERVAL),
      acknowledgedAt: new Date(T0 + 3 * INTERVAL),
      acknowledgedBy: "system",
      openMonitorId: null,
    });
    expect(resolved.updates.map((u) => [u.status, u.message])).toEqual([
      ["investigating", expect.stringMatching(/^Down: status, HTTP 503/)],
      ["resolved", "Recovered"],
    ]);
    expect(await db.monitorEvent.count({ where: { monitorId: monitor.id, processedAt: null } })).toBe(0);
    expect(
      (await db.incidentEvent.findMany({ where: { incidentId: incident!.id }, orderBy: { id: "asc" } })).map(
        (e) => e.type,
      ),
    ).toEqual(["incident.created", "incident.resolved"]);
  });
});

describe("incidents from events another alerter wrote", () => {
  it("are found by polling", async () => {
    const opener = new IncidentOpener({ db, logger, metrics: new Registry() }, { pollMs: 100 });
    opener.start();
    try {
      const monitor = await seed.httpMonitor("https://example.org");
      await db.monitorEvent.create({
        data: {
          id: newId("event"),
          organizationId: monitor.organizationId,
          monitorId: monitor.id,
          type: "monitor.down",
          fromStatus: "up",
          toStatus: "down",
          tick: new Date(T0),
          cause: { error: "timeout" },
        },
      });
      await waitFor(async () => (await incidentsOf(monitor.id)).length === 1, { what: "an incident by polling" });
    } finally {
      await opener.stop();
    }
  });
});

describe("incidents on real processes", () => {
  const redis = createTestRedis();
  const apps: AppProcess[] = [];
  let target: Awaited<ReturnType<typeof startTarget>>;

  beforeAll(async () => {
    target = await startTarget();
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop("SIGKILL")));
    await target?.close();
    await redis.cleanup();
  });

  it("a target failing opens one incident; its recovery resolves and acknowledges it", async () => {
    const services: Services = { databaseUrl: seed.database.url, redisUrl: redis.url, redisPrefix: redis.prefix };
    const monitor = await seed.httpMonitor(`${target.url}/incident`);
    apps.push(await startAlerter(services), await startWorker(services));
    const status = async (wanted: string) =>
      (await db.monitor.findUniqueOrThrow({ where: { id: monitor.id } })).status === wanted;

    await waitFor(() => status("up"), { timeoutMs: 30_000, what: "monitor up" });
    target.behave({ status: 500 });
    const [incident] = await waitFor(
      async () => {
        const found = await incidentsOf(monitor.id);
        return found.length ? found : null;
      },
      { timeoutMs: 30_000, what: "an incident" },
    );
    expect(incident).toMatchObject({ status: "investigating", cause: expect.objectContaining({ http_status: 500 }) });

    target.behave({ status: 200 });
    const resolved = await waitFor(
      async () => {
        const found = await incidentsOf(monitor.id);
        return found.every((i) => i.resolvedAt) ? found : null;
      },
      { timeoutMs: 30_000, what: "the incident resolved" },
    );
    expect(resolved.map((i) => [i.id, i.status, i.acknowledgedBy])).toEqual([[incident!.id, "resolved", "system"]]);
  }, 120_000);
});
