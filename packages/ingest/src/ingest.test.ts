import { createLogger } from "@upfleet/logger";
import type { ResultJob } from "@upfleet/queue";
import { monitorRow } from "@upfleet/testing";
import { test } from "@upfleet/testing/fixtures";
import { Registry } from "prom-client";
import { describe, expect } from "vitest";
import { ResultIngest } from "./ingest.ts";
import { resultJob } from "./testing.ts";

const T0 = Date.now() - 10 * 60_000;

type Status = "up" | "degraded" | "down";

/**
 * The file's `ingest` over its database; `monitor` seeds an http monitor in `regions`, `result` builds
 * a result job for it and `send` delivers jobs to the ingest at once.
 */
const it = test.extend<{
  ingest: ResultIngest;
  monitor: (regions: string[], confirmations?: number) => Promise<string>;
  result: (monitorId: string, region: string, tick: number, status: Status) => ResultJob;
  send: (jobs: ResultJob[]) => Promise<unknown>;
}>({
  ingest: [
    async ({ db, sql }, use) => {
      const ingest = new ResultIngest({ db, sql, logger: createLogger("test", "silent"), metrics: new Registry() });
      await use(ingest);
      await ingest.close();
    },
    { scope: "file" },
  ],
  monitor: async ({ db, organizationId }, use) =>
    use(async (regions, confirmations = 1) => {
      const row = monitorRow(organizationId, { regions, confirmations });
      await db.monitor.create({ data: { ...row, name: row.id } });
      return row.id;
    }),
  result: async ({ organizationId }, use) =>
    use((monitorId, region, tick, status) =>
      resultJob({ monitorId, organizationId, region, tick, intervalMs: 60_000, status }),
    ),
  send: async ({ ingest }, use) => use((jobs) => Promise.all(jobs.map((data) => ingest.handle(data)))),
});

describe("result ingest", () => {
  it("stores a result once however often it is delivered", async ({ db, monitor, result, send }) => {
    const id = await monitor(["eu"]);
    const job = result(id, "eu", T0, "up");
    await send([job, job]);
    await send([job]);
    expect(await db.checkResult.count({ where: { monitor: { id: id } } })).toBe(1);
    const rollups = await db.checkRollup.findMany({ where: { monitorId: id } });
    expect(rollups.map((r) => [r.span, r.checks])).toEqual(
      expect.arrayContaining([
        [3600, 1],
        [86_400, 1],
      ]),
    );
    const stored = await db.monitor.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({ status: "up", lastStatus: 200, lastResponseMs: 115 });
  });

  it("goes down when a majority of regions fail, once, with the cause", async ({ db, monitor, result, send }) => {
    const id = await monitor(["eu", "us", "ap"]);
    await send([result(id, "eu", T0, "up"), result(id, "us", T0, "up"), result(id, "ap", T0, "up")]);
    await send([
      result(id, "eu", T0 + 60_000, "down"),
      result(id, "us", T0 + 60_000, "down"),
      result(id, "ap", T0 + 60_000, "up"),
    ]);
    await send([
      result(id, "eu", T0 + 120_000, "down"),
      result(id, "us", T0 + 120_000, "down"),
      result(id, "ap", T0 + 120_000, "down"),
    ]);
    expect((await db.monitor.findUniqueOrThrow({ where: { id } })).status).toBe("down");
    const events = await db.monitorEvent.findMany({ where: { monitorId: id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "monitor.down", fromStatus: "up", toStatus: "down" });
    expect(events[0]!.cause).toMatchObject({ error: "status", http_status: 503, failing_regions: ["eu", "us"] });
  });

  it("counts a region that has not reported as missing, not failing", async ({ db, monitor, result, send }) => {
    const id = await monitor(["eu", "us", "ap"]);
    // The round's interval has passed: one failing report out of two is not a majority.
    await send([result(id, "eu", T0, "down"), result(id, "us", T0, "up")]);
    const stored = await db.monitor.findUniqueOrThrow({ where: { id } });
    expect(stored.status).toBe("up");
  });

  it("waits for confirmations before going down", async ({ db, monitor, result, send }) => {
    const id = await monitor(["eu"], 3);
    await send([result(id, "eu", T0, "up")]);
    await send([result(id, "eu", T0 + 60_000, "down")]);
    await send([result(id, "eu", T0 + 120_000, "down")]);
    expect((await db.monitor.findUniqueOrThrow({ where: { id } })).status).toBe("up");
    await send([result(id, "eu", T0 + 180_000, "down")]);
    expect((await db.monitor.findUniqueOrThrow({ where: { id } })).status).toBe("down");
    await send([result(id, "eu", T0 + 240_000, "up")]);
    const events = await db.monitorEvent.findMany({ where: { monitorId: id }, orderBy: { tick: "asc" } });
    expect(events.map((e) => e.type)).toEqual(["monitor.down", "monitor.up"]);
  });

  it("decides the rounds of a batch whose state write failed when it is delivered again", async ({
    db,
    monitor,
    result,
    send,
  }) => {
    const id = await monitor(["eu"]);
    await send([result(id, "eu", T0, "up")]);
    await db.$executeRawUnsafe(`CREATE FUNCTION fail_state() RETURNS trigger LANGUAGE plpgsql AS
      'BEGIN RAISE EXCEPTION ''injected state failure''; END'`);
    await db.$executeRawUnsafe(
      `CREATE TRIGGER fail_state BEFORE UPDATE ON monitors FOR EACH ROW WHEN (OLD.id = '${id}') EXECUTE FUNCTION fail_state()`,
    );
    const down = result(id, "eu", T0 + 60_000, "down");
    await expect(send([down])).rejects.toThrow(/injected state failure/);
    await db.$executeRawUnsafe("DROP TRIGGER fail_state ON monitors");
    expect(await db.checkResult.count({ where: { monitor: { id } } })).toBe(2);
    expect((await db.monitor.findUniqueOrThrow({ where: { id } })).status).toBe("up");

    await send([down]);
    const stored = await db.monitor.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({ status: "down", lastStatus: 503, lastCheckedAt: new Date(down.finishedAt) });
    expect(await db.monitorEvent.count({ where: { monitorId: id } })).toBe(1);
  });

  it("never moves the last check back for a late result", async ({ db, monitor, result, send }) => {
    const id = await monitor(["eu"]);
    await send([result(id, "eu", T0 + 60_000, "up")]);
    await send([result(id, "eu", T0, "down")]);
    const stored = await db.monitor.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({ status: "up", lastStatus: 200, lastCheckedAt: new Date(T0 + 60_000 + 120) });
  });
});
