import { IncidentOpener } from "@upfleet/alerting";
import type { Db } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import { ResultIngest } from "@upfleet/ingest";
import { resultJob } from "@upfleet/ingest/testing";
import { createLogger } from "@upfleet/logger";
import { waitFor } from "@upfleet/testing";
import { Registry } from "prom-client";
import { describe, expect } from "vitest";
import { it as base } from "./support.ts";

const logger = createLogger("test", "silent");

const T0 = Date.now() - 30 * 60_000;
const INTERVAL = 10_000;

const result = (monitorId: string, organizationId: string, tick: number, status: "up" | "down") =>
  resultJob({ monitorId, organizationId, region: "local", tick, intervalMs: INTERVAL, status });

const incidentsOf = (db: Db, monitorId: string) =>
  db.incident.findMany({
    where: { monitorId },
    include: { updates: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] } },
    orderBy: { id: "asc" },
  });

/** An `ingest` that wakes its `opener` on each state change, as in the alerter. */
const it = base.extend<{ opener: IncidentOpener; ingest: ResultIngest }>({
  opener: async ({ db }, use) => {
    // A poll far beyond the waits below: only the wake-up after ingest can make these tests pass.
    const opener = new IncidentOpener({ db, logger, metrics: new Registry() }, { pollMs: 600_000 });
    opener.start();
    await use(opener);
    await opener.stop();
  },
  ingest: async ({ db, sql, opener }, use) => {
    const ingest = new ResultIngest(
      { db, sql, logger, metrics: new Registry() },
      { maxWaitMs: 10, onStateChange: () => opener.wake() },
    );
    await use(ingest);
    await ingest.close();
  },
});

describe("incidents from results, in process", () => {
  it("opens exactly one incident for an outage, however often its results come, and recovery resolves it", async ({
    db,
    httpMonitor,
    opener,
    ingest,
  }) => {
    const monitor = await httpMonitor("https://example.com");
    const send = (tick: number, status: "up" | "down") =>
      ingest.handle(result(monitor.id, monitor.organizationId, tick, status));

    await send(T0, "up");
    await Promise.all([send(T0 + INTERVAL, "down"), send(T0 + INTERVAL, "down")]);
    await send(T0 + 2 * INTERVAL, "down");
    const [incident] = await waitFor(
      async () => {
        const found = await incidentsOf(db, monitor.id);
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
    expect(await incidentsOf(db, monitor.id)).toEqual([incident]);

    await send(T0 + 3 * INTERVAL, "up");
    const resolved = await waitFor(
      async () => {
        const [found] = await incidentsOf(db, monitor.id);
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
  it("are found by polling", async ({ db, httpMonitor }) => {
    const opener = new IncidentOpener({ db, logger, metrics: new Registry() }, { pollMs: 100 });
    opener.start();
    try {
      const monitor = await httpMonitor("https://example.org");
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
      await waitFor(async () => (await incidentsOf(db, monitor.id)).length === 1, { what: "an incident by polling" });
    } finally {
      await opener.stop();
    }
  });
});

describe("incidents on real processes", () => {
  it("a target failing opens one incident; its recovery resolves and acknowledges it", async ({
    db,
    target,
    httpMonitor,
    startPipeline,
  }) => {
    const monitor = await httpMonitor(`${target.url}/incident`);
    await startPipeline();
    const status = async (wanted: string) =>
      (await db.monitor.findUniqueOrThrow({ where: { id: monitor.id } })).status === wanted;

    await waitFor(() => status("up"), { timeoutMs: 30_000, what: "monitor up" });
    target.behave({ status: 500 });
    const [incident] = await waitFor(
      async () => {
        const found = await incidentsOf(db, monitor.id);
        return found.length ? found : null;
      },
      { timeoutMs: 30_000, what: "an incident" },
    );
    expect(incident).toMatchObject({ status: "investigating", cause: expect.objectContaining({ http_status: 500 }) });

    target.behave({ status: 200 });
    const resolved = await waitFor(
      async () => {
        const found = await incidentsOf(db, monitor.id);
        return found.every((i) => i.resolvedAt) ? found : null;
      },
      { timeoutMs: 30_000, what: "the incident resolved" },
    );
    expect(resolved.map((i) => [i.id, i.status, i.acknowledgedBy])).toEqual([[incident!.id, "resolved", "system"]]);
  }, 120_000);
});
