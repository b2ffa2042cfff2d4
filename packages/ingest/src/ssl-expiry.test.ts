import type { Db, MonitorEvent } from "@upfleet/db";
import { createLogger } from "@upfleet/logger";
import type { ResultJob } from "@upfleet/queue";
import { monitorRow } from "@upfleet/testing";
import { test } from "@upfleet/testing/fixtures";
import { Registry } from "prom-client";
import { describe, expect } from "vitest";
import { ResultIngest } from "./ingest.ts";
import { crossedThreshold } from "./ssl-expiry.ts";
import { resultJob } from "./testing.ts";

const T0 = Date.now() - 30 * 60_000;

/**
 * The file's `ingest`, counting its state-change `wakeUps`; `sslMonitor` seeds an ssl monitor,
 * `certificate` builds one result of it at the file's next tick for a certificate `fingerprint` with
 * `daysLeft`, `send` delivers jobs to the ingest at once and `expiring` reads a monitor's ssl.expiring events.
 */
const it = test.extend<{
  wakeUps: { count: number };
  ingest: ResultIngest;
  sslMonitor: (settings?: Record<string, unknown>, regions?: string[]) => Promise<string>;
  certificate: (monitorId: string, daysLeft: number, fingerprint?: string, options?: { region?: string }) => ResultJob;
  send: (jobs: ResultJob[]) => Promise<unknown>;
  expiring: (monitorId: string) => Promise<MonitorEvent[]>;
  /** All of the above with the file's database and organization, for a test to take in one name. */
  s: {
    db: Db;
    organizationId: string;
    wakeUps: { count: number };
    ingest: ResultIngest;
    sslMonitor: (settings?: Record<string, unknown>, regions?: string[]) => Promise<string>;
    certificate: (
      monitorId: string,
      daysLeft: number,
      fingerprint?: string,
      options?: { region?: string },
    ) => ResultJob;
    send: (jobs: ResultJob[]) => Promise<unknown>;
    expiring: (monitorId: string) => Promise<MonitorEvent[]>;
    /** What the monitor's ssl.expiring events say of `field`, oldest first. */
    causes: (monitorId: string, field: "threshold" | "days_left" | "fingerprint256") => Promise<unknown[]>;
  };
}>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern.
  wakeUps: [async ({}, use) => use({ count: 0 }), { scope: "file" }],
  ingest: [
    async ({ db, sql, wakeUps }, use) => {
      const ingest = new ResultIngest(
        { db, sql, logger: createLogger("test", "silent"), metrics: new Registry() },
        { maxWaitMs: 5, onStateChange: () => wakeUps.count++ },
      );
      await use(ingest);
      await ingest.close();
    },
    { scope: "file" },
  ],
  sslMonitor: async ({ db, organizationId }, use) =>
    use(async (settings = {}, regions = ["eu"]) => {
      const monitor = await db.monitor.create({
        data: monitorRow(organizationId, {
          type: "ssl",
          settings: { host: "example.com", port: 443, ssl_expiry_alert_days: [30, 14, 7, 1], ...settings },
          regions,
        }),
      });
      return monitor.id;
    }),
  certificate: [
    async ({ organizationId }, use) => {
      let tick = T0;
      await use((monitorId, daysLeft, fingerprint = "AA", options = {}) => {
        tick += 60_000;
        const job = resultJob({
          monitorId,
          organizationId,
          region: options.region ?? "eu",
          tick,
          intervalMs: 60_000,
          status: "up",
        });
        const validTo = new Date(Date.now() + (daysLeft + 0.5) * 86_400_000).toISOString();
        job.result = {
          ...job.result,
          httpStatus: null,
          details: {
            days_left: daysLeft,
            valid_to: validTo,
            fingerprint256: fingerprint,
            issuer: "CN=CA",
            subject: "CN=x",
          },
        };
        return job;
      });
    },
    { scope: "file" },
  ],
  send: async ({ ingest }, use) => use((jobs) => Promise.all(jobs.map((data) => ingest.handle(data)))),
  expiring: async ({ db }, use) =>
    use((monitorId) =>
      db.monitorEvent.findMany({ where: { monitorId, type: "ssl.expiring" }, orderBy: { tick: "asc" } }),
    ),
  s: async ({ db, organizationId, wakeUps, ingest, sslMonitor, certificate, send, expiring }, use) =>
    use({
      ...{ db, organizationId, wakeUps, ingest, sslMonitor, certificate, send, expiring },
      causes: async (monitorId, field) =>
        (await expiring(monitorId)).map((e) => (e.cause as Record<string, unknown>)[field]),
    }),
});

describe("ssl.expiring", () => {
  it("is written once per threshold a certificate crosses, with its days, threshold and expiry", async ({ s }) => {
    const { wakeUps, sslMonitor, certificate, send, expiring } = s;
    const id = await sslMonitor();
    const before = wakeUps.count;
    for (const days of [45, 31, 29, 25, 20, 14, 13, 8, 7, 6]) await send([certificate(id, days)]);
    const events = await expiring(id);
    expect(events.map((e) => (e.cause as { threshold: number }).threshold)).toEqual([30, 14, 7]);
    expect(events.map((e) => (e.cause as { days_left: number }).days_left)).toEqual([29, 14, 7]);
    expect(events[0]).toMatchObject({ fromStatus: "up", toStatus: "up" });
    expect(events[0]!.cause).toMatchObject({ valid_to: expect.any(String), region: "eu", fingerprint256: "AA" });
    expect(wakeUps.count).toBeGreaterThan(before);
  });

  it("announces only the nearest threshold when the first check already finds it close", async ({ s }) => {
    const { sslMonitor, certificate, send, causes } = s;
    const id = await sslMonitor();
    await send([certificate(id, 3)]);
    await send([certificate(id, 0)]);
    expect(await causes(id, "threshold")).toEqual([7, 1]);
  });

  it("starts over for a renewed certificate", async ({ s }) => {
    const { sslMonitor, certificate, send, causes } = s;
    const id = await sslMonitor();
    await send([certificate(id, 10, "OLD")]);
    await send([certificate(id, 89, "NEW")]);
    await send([certificate(id, 10, "NEW")]);
    await send([certificate(id, 9, "NEW")]);
    expect(await causes(id, "fingerprint256")).toEqual(["OLD", "NEW"]);
  });

  it("announces each of two certificates served at once once, and nothing again when an old one shows up late", async ({
    s,
  }) => {
    const { sslMonitor, certificate, send, causes } = s;
    const id = await sslMonitor({}, ["eu", "us"]);
    for (let round = 0; round < 4; round++) {
      const eu = certificate(id, 12, "EU", { region: "eu" });
      await send([
        eu,
        { ...eu, region: "us", result: { ...eu.result, details: { ...eu.result.details, fingerprint256: "US" } } },
      ]);
    }
    await send([certificate(id, 80, "RENEWED")]);
    await send([certificate(id, 12, "EU")]);
    expect((await causes(id, "fingerprint256")).sort()).toEqual(["EU", "US"]);
  });

  it("announces once when several alerters take consecutive ticks of a monitor at the same time", async ({
    s,
    sql,
  }) => {
    const { db, ingest, sslMonitor, certificate, expiring } = s;
    const ids = await Promise.all(Array.from({ length: 6 }, () => sslMonitor()));
    const others = Array.from(
      { length: 3 },
      () =>
        new ResultIngest(
          { db, sql, logger: createLogger("test", "silent"), metrics: new Registry() },
          { maxWaitMs: 5 },
        ),
    );
    const ingests = [ingest, ...others];
    // Each monitor's next four ticks, each handed to a different alerter at once.
    const rounds = ids.map((id) => Array.from({ length: 4 }, () => certificate(id, 12, "AA")));
    await Promise.all(rounds.flatMap((jobs) => jobs.map((data, i) => ingests[i]!.handle(data))));
    await Promise.all(others.map((other) => other.close()));
    for (const id of ids) expect(await expiring(id)).toHaveLength(1);
  });

  it("writes one event for a round whose regions all report it, however often delivered", async ({ s }) => {
    const { sslMonitor, certificate, send, expiring } = s;
    const id = await sslMonitor({}, ["eu", "us"]);
    const eu = certificate(id, 12, "AA", { region: "eu" });
    const us = { ...eu, region: "us" };
    await send([eu, us]);
    await send([eu, us]);
    expect(await expiring(id)).toHaveLength(1);
  });

  it("follows the monitor's own thresholds", async ({ s }) => {
    const { sslMonitor, certificate, send, causes } = s;
    const id = await sslMonitor({ ssl_expiry_alert_days: [10] });
    await send([certificate(id, 25)]);
    await send([certificate(id, 9)]);
    expect(await causes(id, "threshold")).toEqual([10]);
  });

  it("says nothing for a certificate that does not verify, nor for other monitor types", async ({ s }) => {
    const { db, organizationId, sslMonitor, certificate, send, expiring } = s;
    const id = await sslMonitor();
    const bad = certificate(id, 3);
    bad.result = { ...bad.result, status: "down", error: "ssl_hostname_mismatch" };
    await send([bad]);
    expect(await expiring(id)).toEqual([]);
    const http = (await db.monitor.create({ data: monitorRow(organizationId, { regions: ["eu"] }) })).id;
    await send([certificate(http, 3)]);
    expect(await expiring(http)).toEqual([]);
  });
});

describe("crossedThreshold", () => {
  it.each([
    [31, null],
    [30, 30],
    [15, 30],
    [14, 14],
    [1, 1],
    [-2, 1],
  ])("%i days left crosses %s", (days, threshold) => {
    expect(crossedThreshold(days, [30, 14, 7, 1])).toBe(threshold);
  });
});
