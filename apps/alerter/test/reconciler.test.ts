import type { Db, Monitor, Prisma } from "@upfleet/db";
import { createLogger } from "@upfleet/logger";
import { TYPE_DEFAULTS } from "@upfleet/monitors";
import { ScheduleStore } from "@upfleet/queue";
import { generateKeyringText, parseKeyring } from "@upfleet/secrets";
import { monitorRow } from "@upfleet/testing";
import { test } from "@upfleet/testing/fixtures";
import { Redis } from "ioredis";
import { Registry } from "prom-client";
import { describe } from "vitest";
import { Reconciler } from "../src/scheduler/reconciler.ts";
import { monitorIdAtPhase, tickPhase } from "./support.ts";

const logger = createLogger("test", "silent");
const keyring = parseKeyring(generateKeyringText("test"));
const INTERVAL_MS = 10_000;

/** A store on the file's Redis space, a reconciler over it, and a way to add monitors. */
const it = test.extend<{
  r: {
    store: ScheduleStore;
    client: Redis;
    reconciler: Reconciler;
    monitor(fields?: Partial<Prisma.MonitorUncheckedCreateInput>): Promise<Monitor>;
    /** Empties the schedule, as FLUSHALL would. */
    flush(): Promise<void>;
    /** Empties the schedule and deletes every monitor: a test starts from nothing. */
    fresh(): Promise<void>;
  };
}>({
  r: async ({ db, redis, organizationId }, use) => {
    const client = new Redis(redis.url);
    const store = new ScheduleStore(client, redis.prefix);
    await use({
      store,
      client,
      reconciler: new Reconciler({ db, store, logger, keyring, metrics: new Registry() }),
      monitor: (fields = {}) =>
        db.monitor.create({ data: monitorRow(organizationId, { intervalSeconds: INTERVAL_MS / 1000, ...fields }) }),
      flush: async () => void (await client.del(store.dueKey, store.entriesKey, store.versionsKey)),
      fresh: async () => {
        await client.del(store.dueKey, store.entriesKey, store.versionsKey);
        await db.monitor.deleteMany();
      },
    });
    await client.del(store.dueKey, store.entriesKey, store.versionsKey);
    client.disconnect();
  },
});

/** Stores a result of `monitor` for `tick`, as the ingest would. */
const stored = (db: Db, monitor: Monitor, tick: number) =>
  db.checkResult.create({
    data: {
      monitorSeq: monitor.seq,
      tick: new Date(tick),
      region: "local",
      checkedAt: new Date(tick + 200),
      status: "up",
    },
  });

/** Sets updated_at without Prisma's @updatedAt stamping it to now. */
const editedAt = (db: Db, monitor: Monitor, at: number) =>
  db.$executeRaw`UPDATE monitors SET updated_at = ${new Date(at)} WHERE id = ${monitor.id}`;

describe.sequential("Reconciler", () => {
  it("writes what is missing, rewrites what was edited and drops what should not run", async ({ expect, db, r }) => {
    await r.fresh();
    const kept = await r.monitor();
    const edited = await r.monitor();
    const paused = await r.monitor();
    const before = Date.now();
    expect(await r.reconciler.run()).toMatchObject({ upserted: 3, removed: 0 });
    // Never checked: its first tick is its next one ahead.
    const due = (await r.store.nextDue(kept.id)) ?? 0;
    expect(due).toBeGreaterThan(before);
    expect(due).toBeLessThanOrEqual(Date.now() + INTERVAL_MS);

    await db.monitor.update({ where: { id: edited.id }, data: { name: "renamed" } });
    await db.monitor.update({ where: { id: paused.id }, data: { paused: true } });
    expect(await r.reconciler.run()).toMatchObject({ upserted: 1, removed: 1 });
    expect(await r.store.nextDue(paused.id)).toBeNull();
    expect(await r.client.hexists(r.store.versionsKey, paused.id)).toBe(0);
    const { versions } = await r.store.snapshot();
    const { updatedAt } = await db.monitor.findUniqueOrThrow({ where: { id: edited.id } });
    expect(versions.get(edited.id)).toBe(updatedAt.toISOString());
    // An edit keeps the monitor's place on its grid: no extra check.
    expect(await r.store.nextDue(kept.id)).toBe(due);

    // A lost due time (an entry and a version, no place in the sorted set) is given back.
    await r.client.zrem(r.store.dueKey, kept.id);
    expect(await r.reconciler.run()).toMatchObject({ upserted: 1, removed: 0 });
    expect(await r.store.nextDue(kept.id)).not.toBeNull();
    expect(await r.reconciler.run()).toMatchObject({ upserted: 0, removed: 0 });
  });

  it("compares versions without reading the specs: a pass with nothing to do reads ~50 bytes a monitor", async ({
    expect,
    db,
    organizationId,
    r,
  }) => {
    await r.fresh();
    const count = 500;
    // An ordinary http spec (a header, a small body): ~450 bytes an entry, ~4 MB at 10,000 monitors.
    const settings = {
      ...TYPE_DEFAULTS.http,
      url: "https://example.com/health",
      http_method: "POST",
      http_headers: { authorization: "Bearer not-a-secret-at-all" },
      http_body: '{"probe":true}',
    };
    await db.monitor.createMany({
      data: Array.from({ length: count }, () =>
        monitorRow(organizationId, { intervalSeconds: 10, settings: settings as Prisma.InputJsonValue }),
      ),
    });
    expect((await r.reconciler.run()).upserted).toBe(count);
    const entryBytes = (await r.client.hvals(r.store.entriesKey)).reduce((n, v) => n + v.length, 0);
    const pass = await r.reconciler.run();
    expect(pass).toMatchObject({ upserted: 0, removed: 0 });
    expect(pass.bytesRead / count).toBeLessThan(80);
    expect(pass.bytesRead * 5).toBeLessThan(entryBytes);
  });

  it("after the schedule was lost, resumes at the tick after the last stored one while it is still fresh", async ({
    expect,
    db,
    r,
  }) => {
    await r.fresh();
    // Monitors whose ticks fall on whole tens of seconds (± 100 ms), seen 9 s into an interval.
    const grid = Math.floor(Date.now() / INTERVAL_MS) * INTERVAL_MS;
    const now = grid + 9_000;
    const onGrid = async (lastTick: number | null, editedBefore = 3_600_000) => {
      const monitor = await r.monitor({ id: monitorIdAtPhase(INTERVAL_MS / 1000, 0) });
      const phase = tickPhase(monitor.id, INTERVAL_MS / 1000);
      const shifted = phase > INTERVAL_MS / 2 ? phase - INTERVAL_MS : phase;
      if (lastTick !== null) await stored(db, monitor, lastTick + shifted);
      await editedAt(db, monitor, now - editedBefore);
      return { id: monitor.id, at: (t: number) => t + shifted };
    };
    // Checked until 19 s ago: the tick since (the FLUSHALL's gap) is sent late, 9 s after it fell due.
    const gap = await onGrid(grid - 10_000);
    // Checked until 29 s ago: the tick after that is stale (would start past 2 intervals); the next one is sent late.
    const long = await onGrid(grid - 20_000);
    // Last checked 39 s ago: no tick of it is fresh any more; it starts at its next tick.
    const old = await onGrid(grid - 30_000);
    // Edited 4 s ago, after its last check: ticks before the edit are not made up.
    const edited = await onGrid(grid - 10_000, 4_000);
    // Never checked (new): nothing to make up.
    const fresh = await onGrid(null);

    expect((await r.reconciler.run(now)).upserted).toBe(5);
    expect(await r.store.nextDue(gap.id)).toBe(gap.at(grid));
    expect(await r.store.nextDue(long.id)).toBe(long.at(grid));
    expect(await r.store.nextDue(old.id)).toBe(old.at(grid + INTERVAL_MS));
    expect(await r.store.nextDue(edited.id)).toBe(edited.at(grid + INTERVAL_MS));
    expect(await r.store.nextDue(fresh.id)).toBe(fresh.at(grid + INTERVAL_MS));
  });

  it("adopts a store written before versions had a hash of their own, keeping each monitor's due time", async ({
    expect,
    r,
  }) => {
    await r.fresh();
    const monitor = await r.monitor();
    await r.reconciler.run();
    const due = await r.store.nextDue(monitor.id);
    await r.client.del(r.store.versionsKey);
    expect(await r.store.snapshot()).toMatchObject({ unversioned: new Set([monitor.id]) });
    expect(await r.reconciler.run()).toMatchObject({ upserted: 1, removed: 0 });
    expect(await r.store.nextDue(monitor.id)).toBe(due);
    expect(await r.store.snapshot()).toMatchObject({ unversioned: new Set(), unscheduled: new Set() });
  });
});
