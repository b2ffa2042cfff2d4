import { newId } from "@upfleet/ids";
import { createLogger } from "@upfleet/logger";
import { nextTickAfter } from "@upfleet/monitoring";
import {
  CHECKS_GROUP,
  type CheckLane,
  CheckStream,
  checksStreamKey,
  FleetRegistry,
  type RegionInfo,
  regionOverview,
  type ScheduleEntry,
  ScheduleStore,
} from "@upfleet/queue";
import { generateKeyringText, keyedMac, parseKeyring } from "@upfleet/secrets";
import { waitFor } from "@upfleet/testing";
import { test } from "@upfleet/testing/fixtures";
import { Redis } from "ioredis";
import { Registry } from "prom-client";
import { describe } from "vitest";
import { Dispatcher } from "../src/scheduler/dispatcher.ts";

const logger = createLogger("test", "silent");
const INTERVAL_MS = 10_000;

/** A due time `ago` ms in the past, on a whole second. */
const tickAgo = (ago: number) => Math.floor((Date.now() - ago) / 1_000) * 1_000;

interface Harness {
  store: ScheduleStore;
  fleet: FleetRegistry;
  /** Closes a region as soon as it is seen without workers. */
  dispatcher: Dispatcher;
  /** Checks kept back from `region` by `dispatcher`, as the metric counts them. */
  keptBack(region: string): Promise<number>;
  /** A dispatcher that closes a region only once it has been seen without workers for `emptyForMs`. */
  withGrace(emptyForMs: number): { dispatcher: Dispatcher; keptBack(region: string): Promise<number> };
  checks: CheckStream;
  /** Schedules a monitor checked in `regions`, due at `dueMs` (a ping monitor with `ping`). */
  schedule(regions: string[], dueMs: number, ping?: "ping"): Promise<ScheduleEntry>;
  /** Registers a live worker in `region`, as a worker does every 5 s; `icmp`: whether it takes ping checks. */
  workerIn(region: string, concurrency?: number, icmp?: boolean): Promise<void>;
  /** The checks waiting in `region`'s stream (its ping checks' with `icmp`), entry by entry. */
  entries(region: string, lane?: CheckLane): Promise<[string, Record<string, unknown>][][]>;
  /** Round ids of the checks waiting in `region`'s stream. */
  waiting(region: string): Promise<string[]>;
  /** Takes every waiting entry of `region` as a worker would, and acknowledges it. */
  drain(region: string): Promise<void>;
  /** GET /regions' rows for `regions`, counting only their own workers. */
  overview(regions: string[]): Promise<RegionInfo[]>;
  /** Runs passes, each over a new monitor due now in `region`, until `done` (the gate reads the fleet once a second). */
  passesUntil(dispatcher: Dispatcher, region: string, done: () => Promise<boolean>, what: string): Promise<void>;
}

/** A dispatcher (never started: each test runs its passes) on the file's Redis space. */
const it = test.extend<{ d: Harness }>({
  d: async ({ redis }, use) => {
    const client = new Redis(redis.url);
    const checks = new CheckStream(client, redis.prefix);
    const entries = async (region: string, lane?: CheckLane) =>
      (await client.xrange(checksStreamKey(redis.prefix, region, lane), "-", "+")).map(([, fields]) =>
        fields.flatMap((id, i) =>
          i % 2 === 0 ? [[id, JSON.parse(fields[i + 1]!)] as [string, Record<string, unknown>]] : [],
        ),
      );
    const store = new ScheduleStore(client, redis.prefix);
    const fleet = new FleetRegistry(client, redis.prefix);
    const withGrace = (emptyForMs: number) => {
      const metrics = new Registry();
      return {
        dispatcher: new Dispatcher({
          store,
          checks,
          logger,
          metrics,
          isLeader: () => true,
          fleet,
          proofs: keyedMac(parseKeyring(generateKeyringText("test")), "dispatch-proof"),
          emptyForMs,
        }),
        async keptBack(region: string) {
          const metric = await metrics.getSingleMetric("upfleet_checks_withheld_total")?.get();
          return metric?.values.find((v) => v.labels.region === region)?.value ?? 0;
        },
      };
    };
    const schedule = async (regions: string[], dueMs: number, ping?: "ping") => {
      const entry: ScheduleEntry = {
        monitorId: newId("monitor"),
        organizationId: "org_test",
        intervalMs: INTERVAL_MS,
        regions,
        spec: ping
          ? { type: ping, host: "127.0.0.1", timeoutMs: 1_000, responseTimeThresholdMs: null }
          : { type: "unrunnable", reason: "a test's monitor", timeoutMs: 1_000 },
        version: new Date().toISOString(),
      };
      await store.upsert([{ entry, nextDueMs: dueMs, reschedule: true }]);
      return entry;
    };
    let workers = 0;
    await use({
      store,
      fleet,
      ...withGrace(0),
      withGrace,
      checks,
      schedule,
      async workerIn(region, concurrency = 50, icmp = false) {
        const now = new Date().toISOString();
        const id = `wrk_${region}_${++workers}`;
        await fleet.report({
          id,
          region,
          hostname: "test",
          version: "0",
          concurrency,
          in_flight: 0,
          started_at: now,
          last_seen_at: now,
          schedule_lag_ms: null,
          checks_per_minute: 0,
          icmp,
          icmp_problem: icmp ? null : "switched off",
        });
      },
      entries,
      waiting: async (region) => (await entries(region)).flat().map(([id]) => id),
      async drain(region) {
        const key = checksStreamKey(redis.prefix, region);
        await client.xgroup("CREATE", key, CHECKS_GROUP, "0", "MKSTREAM");
        const reply = (await client.xreadgroup("GROUP", CHECKS_GROUP, "test", "STREAMS", key, ">")) as
          | [string, [string, string[]][]][]
          | null;
        const ids = (reply?.[0]?.[1] ?? []).map(([id]) => id);
        if (ids.length > 0)
          await client
            .multi()
            .xack(key, CHECKS_GROUP, ...ids)
            .xdel(key, ...ids)
            .exec();
      },
      async overview(regions) {
        const live = (await fleet.list()).filter((w) => regions.includes(w.region));
        return regionOverview(regions, live, checks);
      },
      async passesUntil(dispatcher, region, done, what) {
        await waitFor(
          async () => {
            await schedule([region], tickAgo(500));
            await dispatcher.dispatchDue();
            return done();
          },
          { timeoutMs: 5_000, what },
        );
      },
    });
    client.disconnect();
  },
});

describe.sequential("Dispatcher", () => {
  it("adds one check per region under the round's id, moves the monitor to its next tick, and sends a repeat again", async ({
    expect,
    d,
  }) => {
    await Promise.all([d.workerIn("a1"), d.workerIn("b1")]);
    const due = tickAgo(500);
    const entry = await d.schedule(["a1", "b1"], due);
    expect(await d.dispatcher.dispatchDue()).toBe(1);
    expect(await d.waiting("a1")).toEqual([`${entry.monitorId}@a1@${due}`]);
    expect(await d.waiting("b1")).toEqual([`${entry.monitorId}@b1@${due}`]);
    const [[[, check]]] = (await d.entries("a1")) as [[[string, unknown]]];
    expect(check).toMatchObject({
      monitorId: entry.monitorId,
      region: "a1",
      tick: due,
      intervalMs: INTERVAL_MS,
    });
    expect(await d.store.nextDue(entry.monitorId)).toBe(due + INTERVAL_MS);
    expect(await d.dispatcher.dispatchDue()).toBe(0);

    // A crash between add and advance sends the same round again (ingest stores a round once).
    await d.store.upsert([{ entry, nextDueMs: due, reschedule: true }]);
    expect(await d.dispatcher.dispatchDue()).toBe(1);
    expect(await d.waiting("a1")).toEqual([`${entry.monitorId}@a1@${due}`, `${entry.monitorId}@a1@${due}`]);
  });

  it("puts a pass's checks of a region in as few entries as the region's smallest worker concurrency allows", async ({
    expect,
    d,
  }) => {
    await Promise.all([d.workerIn("many"), d.workerIn("many", 2)]);
    const due = tickAgo(500);
    const monitors = await Promise.all([0, 1, 2, 3, 4].map(() => d.schedule(["many"], due)));
    expect(await d.dispatcher.dispatchDue()).toBe(5);
    const entries = await d.entries("many");
    expect(entries.map((e) => e.length)).toEqual([2, 2, 1]);
    expect(entries.flatMap((e) => e.map(([id]) => id)).sort()).toEqual(
      monitors.map((m) => `${m.monitorId}@many@${due}`).sort(),
    );
    // Off the schedule again, so their next ticks do not fall into the later tests' passes.
    await d.store.remove(monitors.map((m) => m.monitorId));
  });

  it("sends ping checks to the region's ICMP stream only while a worker there takes them; its other checks go on", async ({
    expect,
    d,
  }) => {
    await d.workerIn("np6", 50, false);
    const ping = await d.schedule(["np6"], tickAgo(500), "ping");
    const http = await d.schedule(["np6"], tickAgo(500));
    expect(await d.dispatcher.dispatchDue()).toBe(2);
    expect((await d.waiting("np6")).map((id) => id.split("@")[0])).toEqual([http.monitorId]);
    expect(await d.entries("np6", "icmp")).toEqual([]);
    expect(await d.keptBack("np6")).toBe(1);
    expect(await d.overview(["np6"])).toEqual([
      expect.objectContaining({ workers: 1, icmp_workers: 0, dispatching: true, ping_dispatching: false }),
    ]);
    await d.store.remove([ping.monitorId, http.monitorId]);

    // A worker that can ping reports: ping checks go to the ICMP stream, and only there.
    await d.workerIn("np6", 50, true);
    await waitFor(
      async () => {
        await d.schedule(["np6"], tickAgo(500), "ping");
        await d.dispatcher.dispatchDue();
        return (await d.entries("np6", "icmp")).length > 0;
      },
      { timeoutMs: 5_000, what: "a ping check sent once a worker that can ping reported" },
    );
    const pings = (await d.entries("np6", "icmp")).flat();
    expect(pings.every(([, check]) => (check.spec as { type: string }).type === "ping")).toBe(true);
    expect(await d.waiting("np6")).toHaveLength(1);
    expect((await d.overview(["np6"]))[0]).toMatchObject({ icmp_workers: 1, ping_dispatching: true });
  });

  it("sizes the entries of a worker that reads both streams to half its concurrency", async ({ expect, d }) => {
    await d.workerIn("half7", 4, true);
    const due = tickAgo(500);
    const monitors = await Promise.all([0, 1, 2, 3, 4].map(() => d.schedule(["half7"], due)));
    await d.dispatcher.dispatchDue();
    expect((await d.entries("half7")).map((e) => e.length)).toEqual([2, 2, 1]);
    await d.store.remove(monitors.map((m) => m.monitorId));
  });

  it("sends a late tick that is still fresh and then the next one on its grid; far behind, it skips ahead", async ({
    expect,
    d,
  }) => {
    await d.workerIn("a2");
    // 15 s late (after a FLUSHALL, say): still fresh (stale after 20 s); the tick after it is due too.
    const late = tickAgo(15_000);
    const entry = await d.schedule(["a2"], late);
    await d.dispatcher.dispatchDue();
    expect(await d.store.nextDue(entry.monitorId)).toBe(late + INTERVAL_MS);
    await d.dispatcher.dispatchDue();
    expect((await d.waiting("a2")).sort()).toEqual([late, late + INTERVAL_MS].map((t) => `${entry.monitorId}@a2@${t}`));
    expect(await d.store.nextDue(entry.monitorId)).toBe(late + 2 * INTERVAL_MS);

    // 50 s behind (an outage): one job for the oldest tick, then the next tick ahead, not the four between.
    const behind = tickAgo(50_000);
    const far = await d.schedule(["a2"], behind);
    const now = Date.now();
    await d.dispatcher.dispatchDue(now);
    expect(await d.store.nextDue(far.monitorId)).toBe(nextTickAfter(far.monitorId, INTERVAL_MS, now));
  });

  it("keeps checks back from a region with no live worker, counts them, and sends again once a worker reports", async ({
    expect,
    d,
  }) => {
    await d.workerIn("up3");
    const first = await d.schedule(["up3", "empty3"], tickAgo(500));
    await d.dispatcher.dispatchDue();
    expect(await d.waiting("up3")).toHaveLength(1);
    expect(await d.waiting("empty3")).toEqual([]);
    expect(await d.keptBack("empty3")).toBe(1);
    expect(await d.keptBack("up3")).toBe(0);
    // The schedule moved on: the region's missed tick is not owed to it later.
    expect(await d.store.nextDue(first.monitorId)).toBeGreaterThan(Date.now() - 500);
    expect((await d.overview(["up3", "empty3"])).map((r) => r.dispatching)).toEqual([true, false]);

    await d.workerIn("empty3");
    const sent = async () => (await d.waiting("empty3")).length === 1;
    await d.passesUntil(d.dispatcher, "empty3", sent, "a check sent to the region once its worker reported");
  });

  it("keeps checks back from a region whose oldest waiting check is stale, until its worker has drained it", async ({
    expect,
    d,
  }) => {
    await d.workerIn("slow4");
    // A check sent 25 s ago (stale after 20 s) that no worker took.
    const stale = await d.schedule(["slow4"], tickAgo(25_000));
    await d.checks.add("slow4", [{ ...stale, region: "slow4", tick: tickAgo(25_000), intervalMs: INTERVAL_MS }]);
    await d.store.remove([stale.monitorId]);

    await d.schedule(["slow4"], tickAgo(500));
    expect(await d.dispatcher.dispatchDue()).toBe(1);
    expect(await d.waiting("slow4")).toHaveLength(1);
    expect(await d.keptBack("slow4")).toBe(1);
    expect(await d.overview(["slow4"])).toEqual([
      expect.objectContaining({ workers: 1, queue_depth: 1, dispatching: false }),
    ]);

    // The worker takes the stale check (and skips it): the region gets checks again.
    await d.drain("slow4");
    const sent = async () => (await d.waiting("slow4")).length === 1;
    await d.passesUntil(d.dispatcher, "slow4", sent, "a check sent once the stale one was gone");
  });

  it("still sends checks to a region seen without workers for less than the grace (FLUSHALL empties the registry too)", async ({
    expect,
    d,
  }) => {
    const { dispatcher, keptBack } = d.withGrace(1_500);
    await d.schedule(["gone5"], tickAgo(500));
    await dispatcher.dispatchDue();
    expect(await d.waiting("gone5")).toHaveLength(1);
    expect(await keptBack("gone5")).toBe(0);
    // Still no worker after the grace: the region is closed.
    const closed = async () => (await keptBack("gone5")) > 0;
    await d.passesUntil(dispatcher, "gone5", closed, "the region closed once the grace ran out");
  });

  it("waits for the next tick rather than polling: an idle schedule costs no pass until a monitor is scheduled, which wakes it, and a due tick goes on time", async ({
    d,
    redis,
    expect,
  }) => {
    // A schedule of its own, so the other tests' monitors falling due do not wake it.
    const client = new Redis(redis.url);
    const store = new ScheduleStore(client, `${redis.prefix}:idle`);
    let passes = 0;
    const counted = Object.assign(Object.create(store) as ScheduleStore, {
      takeDue: (nowMs: number, limit: number) => {
        passes++;
        return store.takeDue(nowMs, limit);
      },
    });
    const dispatcher = new Dispatcher({
      store: counted,
      checks: d.checks,
      logger,
      metrics: new Registry(),
      isLeader: () => true,
      fleet: d.fleet,
      proofs: keyedMac(parseKeyring(generateKeyringText("test")), "dispatch-proof"),
    });
    await d.workerIn("idle");
    dispatcher.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      // Nothing scheduled: the start pass, then a wait for a change (it was a pass every 100 ms, then every second).
      expect(passes).toBe(1);
      // Due well before the 30 s net: only the upsert's wake-up can get it dispatched on time.
      const dueMs = Date.now() + 1_500;
      const entry = { ...(await d.schedule(["other"], dueMs)), regions: ["idle"], intervalMs: 2_000 };
      await store.upsert([{ entry, nextDueMs: dueMs, reschedule: true }]);
      const dispatched = (tick: number) =>
        waitFor(async () => (await d.waiting("idle")).includes(`${entry.monitorId}@idle@${tick}`), {
          timeoutMs: 5_000,
          intervalMs: 20,
          what: `the tick at ${tick} dispatched`,
        });
      await dispatched(dueMs);
      // On time: woken by the upsert, it waited exactly until the tick it then saw.
      expect(Date.now() - dueMs).toBeLessThan(500);
      // And the monitor's next tick, which the pass that sent the first one moved it to, on time too.
      await dispatched(dueMs + 2_000);
      expect(Date.now() - (dueMs + 2_000)).toBeLessThan(500);
    } finally {
      await dispatcher.stop();
      client.disconnect();
    }
  });

  it("stops at once while it waits for a change", async ({ d, redis, expect }) => {
    const client = new Redis(redis.url);
    const store = new ScheduleStore(client, `${redis.prefix}:stopping`);
    const dispatcher = new Dispatcher({
      store,
      checks: d.checks,
      logger,
      metrics: new Registry(),
      isLeader: () => true,
      fleet: d.fleet,
      proofs: keyedMac(parseKeyring(generateKeyringText("test")), "dispatch-proof"),
    });
    dispatcher.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const stopping = Date.now();
      await dispatcher.stop();
      expect(Date.now() - stopping).toBeLessThan(500);
    } finally {
      client.disconnect();
    }
  });
});
