import { createLogger } from "@upfleet/logger";
import { waitFor } from "@upfleet/testing";
import { test } from "@upfleet/testing/fixtures";
import { Redis } from "ioredis";
import { describe, vi } from "vitest";
import { type CheckConsumerTimings, type CheckDelivery, CheckStreamConsumer, reclaimIdleMs } from "./check-consumer.ts";
import { CheckStream } from "./check-stream.ts";
import type { CheckJob, ResultJob } from "./jobs.ts";
import type { CheckLane } from "./lanes.ts";
import { CHECKS_GROUP, checksStreamKey, resultsStreamKey } from "./names.ts";
import { fieldPairs } from "./stream-group.ts";

const logger = createLogger("test", "silent");

/** The result a worker would publish for `check`. */
function resultOf(check: CheckJob): ResultJob {
  const at = Date.now();
  return {
    ...check,
    workerId: "worker-test",
    startedAt: at,
    finishedAt: at,
    result: { status: "up", responseMs: 1, httpStatus: 200, error: null, message: null, timings: {}, details: {} },
  };
}

interface Harness {
  client: Redis;
  redisUrl: string;
  prefix: string;
  checks: CheckStream;
  key(region: string, lane?: CheckLane): string;
  /** `count` checks of `region` due now, each with this timeout; `ping` ones go on the ICMP lane. */
  make(region: string, count: number, timeoutMs?: number, type?: "unrunnable" | "ping"): CheckJob[];
  /**
   * A consumer of `region`'s streams (its general one unless `lanes` says) stopped after the test, whose
   * checks are run by `run` (into the result it publishes, if any).
   */
  consume(
    region: string,
    run: (check: CheckJob, delivery: CheckDelivery) => Promise<ResultJob | undefined> | Promise<void>,
    options?: { concurrency?: number; timings?: Partial<CheckConsumerTimings>; lanes?: CheckLane[]; redis?: Redis },
  ): CheckStreamConsumer;
}

const it = test.extend<{ s: Harness }>({
  s: async ({ redis }, use) => {
    const client = new Redis(redis.url);
    const consumers: CheckStreamConsumer[] = [];
    let made = 0;
    await use({
      client,
      redisUrl: redis.url,
      prefix: redis.prefix,
      checks: new CheckStream(client, redis.prefix),
      key: (region, lane) => checksStreamKey(redis.prefix, region, lane),
      make: (region, count, timeoutMs = 1_000, type = "unrunnable") =>
        Array.from({ length: count }, () => ({
          monitorId: `mon_${++made}`,
          organizationId: "org_test",
          region,
          tick: Date.now(),
          intervalMs: 10_000,
          spec:
            type === "ping"
              ? { type, host: "127.0.0.1", timeoutMs, responseTimeThresholdMs: null }
              : { type, reason: "a test's check", timeoutMs },
        })),
      consume(region, run, options = {}) {
        const consumer = new CheckStreamConsumer({
          redis: options.redis ?? client,
          redisPrefix: redis.prefix,
          region,
          consumer: `worker-${consumers.length}`,
          concurrency: options.concurrency ?? 10,
          lanes: options.lanes ?? ["general"],
          run: async (check, delivery) => (await run(check as CheckJob, delivery)) ?? null,
          logger,
          timings: { blockMs: 500, ...options.timings },
        });
        consumers.push(consumer);
        consumer.start();
        return consumer;
      },
    });
    await Promise.all(consumers.map((c) => c.stop()));
    client.disconnect();
  },
});

describe.concurrent("checks streams", () => {
  it("carry many checks an entry; the backlog counts what waits", async ({ expect, s }) => {
    const checks = s.make("b1", 5);
    await s.checks.add("b1", checks, 2);
    expect((await s.client.xrange(s.key("b1"), "-", "+")).map(([, fields]) => fields.length / 2)).toEqual([2, 2, 1]);
    const backlog = await s.checks.backlog("b1", 20);
    expect(backlog).toMatchObject({ waitingEntries: 3, waitingChecks: 5, pendingEntries: 0 });
    expect(backlog.oldest).toMatchObject({ tick: checks[0]!.tick, intervalMs: 10_000 });
    // Sampling one entry of two checks extrapolates over the three.
    expect((await s.checks.backlog("b1")).waitingChecks).toBe(6);
    expect(await s.checks.backlog("nothing")).toEqual({
      waitingEntries: 0,
      waitingChecks: 0,
      pendingEntries: 0,
      oldest: undefined,
    });
  });

  it("have a worker run every check of an entry, then acknowledge and delete it", async ({ expect, s }) => {
    const ran: string[] = [];
    s.consume("r1", async (check, delivery) => {
      expect(delivery.stalls).toBe(0);
      ran.push(check.monitorId);
    });
    const checks = s.make("r1", 7);
    await s.checks.add("r1", checks, 3);
    await waitFor(async () => ran.length === 7 && (await s.client.xlen(s.key("r1"))) === 0, {
      what: "every check run and its entry deleted",
    });
    expect(ran.sort()).toEqual(checks.map((c) => c.monitorId).sort());
    expect(await s.checks.backlog("r1")).toMatchObject({ waitingEntries: 0, pendingEntries: 0 });
  });

  it("publish an entry's results and acknowledge it in one transaction when they are written together", async ({
    expect,
    s,
  }) => {
    const transactions = vi.spyOn(s.client, "multi");
    const plainAdds = vi.spyOn(s.client, "xadd");
    s.consume("t1", async (check) => resultOf(check));
    const checks = s.make("t1", 3);
    await s.checks.add("t1", checks, 3);
    await waitFor(async () => (await s.client.xlen(s.key("t1"))) === 0, { what: "the entry deleted" });
    const published = (await s.client.xrange(resultsStreamKey(s.prefix, "t1"), "-", "+")).flatMap(([, fields]) =>
      fieldPairs(fields).map(([round]) => round),
    );
    expect(published.sort()).toEqual(checks.map((c) => `${c.monitorId}@t1@${c.tick}`).sort());
    // One round trip for the three results and the acknowledgment, none of its own for either.
    expect(transactions).toHaveBeenCalledTimes(1);
    expect(plainAdds).not.toHaveBeenCalled();
    expect(await s.checks.backlog("t1")).toMatchObject({ waitingEntries: 0, pendingEntries: 0 });
  });

  it("acknowledge an entry once its results are written when its last check has none to publish", async ({
    expect,
    s,
  }) => {
    const [published, skipped] = s.make("t2", 2);
    s.consume("t2", async (check) => {
      if (check.monitorId === published!.monitorId) return resultOf(check);
      // Finishes after the other's result was written, as a check skipped as stale does: nothing to carry the acknowledgment.
      await waitFor(async () => (await s.client.xlen(resultsStreamKey(s.prefix, "t2"))) === 1, {
        what: "the other result written",
      });
      return undefined;
    });
    await s.checks.add("t2", [published!, skipped!], 2);
    await waitFor(async () => (await s.client.xlen(s.key("t2"))) === 0, { what: "the entry deleted" });
    expect(await s.checks.backlog("t2")).toMatchObject({ waitingEntries: 0, pendingEntries: 0 });
  });

  it("leave an entry pending when its worker is gone before its results are written, for a live one to run again", async ({
    expect,
    s,
  }) => {
    // The doomed worker's connection is its own: it goes away with the check's result still unwritten.
    const doomedRedis = new Redis(s.redisUrl, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    doomedRedis.on("error", () => undefined);
    const [lost] = s.make("t3", 1, 200);
    const ran: string[] = [];
    const doomed = s.consume(
      "t3",
      async (check) => {
        doomedRedis.disconnect();
        return resultOf(check);
      },
      { redis: doomedRedis },
    );
    await s.checks.add("t3", [lost!]);
    await waitFor(async () => (await s.checks.backlog("t3")).pendingEntries === 1 && doomedRedis.status === "end", {
      what: "the entry read by the doomed worker",
    });
    await doomed.stop();
    s.consume(
      "t3",
      async (check) => {
        ran.push(check.monitorId);
        return resultOf(check);
      },
      { timings: { reclaimEveryMs: 100 } },
    );
    // The live worker learns the region's timeouts from a check of its own.
    await s.checks.add("t3", s.make("t3", 1, 200));
    await waitFor(() => ran.includes(lost!.monitorId), { timeoutMs: 15_000, what: "the lost check run again" });
    await waitFor(async () => (await s.client.xlen(s.key("t3"))) === 0, { what: "every entry deleted" });
    const rounds = (await s.client.xrange(resultsStreamKey(s.prefix, "t3"), "-", "+")).flatMap(([, fields]) =>
      fieldPairs(fields).map(([round]) => round),
    );
    // Its result once, written by the live worker with the entry's acknowledgment.
    expect(rounds.filter((round) => round.startsWith(`${lost!.monitorId}@`))).toHaveLength(1);
  });

  it("run at most `concurrency` checks at once", async ({ expect, s }) => {
    let running = 0;
    let most = 0;
    let done = 0;
    s.consume(
      "c1",
      async () => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 50));
        running--;
        done++;
      },
      { concurrency: 2 },
    );
    await s.checks.add("c1", s.make("c1", 9), 2);
    await waitFor(() => done === 9, { what: "nine checks run" });
    expect(most).toBe(2);
  });

  it("leave an entry pending when a check's result was not published", async ({ expect, s }) => {
    let tries = 0;
    s.consume("p1", async () => {
      tries++;
      throw new Error("Redis refused the result");
    });
    await s.checks.add("p1", s.make("p1", 1));
    await waitFor(() => tries === 1, { what: "the check run" });
    await waitFor(async () => (await s.checks.backlog("p1")).pendingEntries === 1, { what: "its entry pending" });
    expect(await s.client.xlen(s.key("p1"))).toBe(1);
  });

  it("put ping checks on the ICMP stream, which only workers that take them read", async ({ expect, s }) => {
    const byWorker = { general: [] as string[], both: [] as string[] };
    s.consume("l1", async (check) => void byWorker.general.push(check.monitorId));
    s.consume("l1", async (check) => void byWorker.both.push(check.monitorId), { lanes: ["general", "icmp"] });
    const pings = s.make("l1", 6, 1_000, "ping");
    const others = s.make("l1", 6);
    await s.checks.add("l1", [...others, ...pings], 2);
    expect(await s.client.xlen(s.key("l1", "icmp"))).toBe(3);
    await waitFor(() => byWorker.general.length + byWorker.both.length === 12, { what: "every check run" });
    expect(byWorker.both).toEqual(expect.arrayContaining(pings.map((c) => c.monitorId)));
    expect(byWorker.general.filter((id) => pings.some((c) => c.monitorId === id))).toEqual([]);
    expect(await s.checks.backlog("l1", 1, "icmp")).toMatchObject({ waitingEntries: 0, pendingEntries: 0 });
    await waitFor(async () => (await s.client.xlen(s.key("l1", "icmp"))) === 0, { what: "the ICMP entries deleted" });
  });

  it.for([
    ["d1", "unrunnable"],
    ["d2", "ping"],
  ] as const)(
    "take back a dead worker's entry (%s: %s) once it was held twice the longest timeout seen, and count the stall",
    async ([region, type], { expect, s }) => {
      const lane = type === "ping" ? "icmp" : "general";
      // A worker that read an entry and died: it never acknowledges it.
      const [lost] = s.make(region, 1, 200, type);
      await s.checks.add(region, [lost!]);
      await s.client.xgroup("CREATE", s.key(region, lane), CHECKS_GROUP, "0", "MKSTREAM");
      // Taken before the read: Redis hands the entry out (and starts its idle time) after this.
      const readAt = Date.now();
      await s.client.xreadgroup("GROUP", CHECKS_GROUP, "dead", "COUNT", 1, "STREAMS", s.key(region, lane), ">");

      const ran = new Map<string, { at: number; delivery: CheckDelivery }>();
      s.consume(region, async (check, delivery) => void ran.set(check.monitorId, { at: Date.now(), delivery }), {
        timings: { reclaimEveryMs: 100 },
        lanes: ["general", "icmp"],
      });
      // It learns the region's timeouts from what it reads.
      await s.checks.add(region, s.make(region, 1, 200));
      const rescued = await waitFor(() => ran.get(lost!.monitorId), { timeoutMs: 15_000, what: "the lost check run" });
      expect(rescued.at - readAt).toBeGreaterThanOrEqual(reclaimIdleMs(200));
      expect(rescued.delivery.stalls).toBe(1);
      expect(rescued.delivery.recoveryMs).toBeGreaterThan(reclaimIdleMs(200));
      await waitFor(async () => (await s.client.xlen(s.key(region, lane))) === 0, { what: "its entry deleted" });
    },
  );

  it("take back an entry a worker died holding after a look that found nothing pending", async ({ expect, s }) => {
    const ran = new Map<string, { at: number; delivery: CheckDelivery }>();
    s.consume("d3", async (check, delivery) => void ran.set(check.monitorId, { at: Date.now(), delivery }), {
      timings: { reclaimEveryMs: 100 },
    });
    // The live worker learns the region's timeouts, then nothing is pending: it looks again only
    // reclaimIdleMs(200) later.
    const [first] = s.make("d3", 1, 200);
    await s.checks.add("d3", [first!]);
    await waitFor(() => ran.has(first!.monitorId), { what: "the first check run" });
    await waitFor(async () => (await s.checks.backlog("d3")).pendingEntries === 0, { what: "its entry acknowledged" });
    // Added and read by a worker that dies in one transaction, so the live worker's blocked read misses it.
    const [lost] = s.make("d3", 1, 200);
    const readAt = Date.now();
    await s.client
      .multi()
      .xadd(s.key("d3"), "*", "round", JSON.stringify(lost))
      .xreadgroup("GROUP", CHECKS_GROUP, "dead", "COUNT", 1, "STREAMS", s.key("d3"), ">")
      .exec();
    const rescued = await waitFor(() => ran.get(lost!.monitorId), { timeoutMs: 15_000, what: "the lost check run" });
    expect(rescued.at - readAt).toBeGreaterThanOrEqual(reclaimIdleMs(200));
    expect(rescued.at - readAt).toBeLessThan(reclaimIdleMs(200) + 3_000);
    expect(rescued.delivery.stalls).toBe(1);
  });

  it("claim nothing while every entry pending is younger than the claim's idle time", async ({ expect, s }) => {
    const claims = vi.spyOn(s.client, "xautoclaim");
    let done = 0;
    // Each check holds its entry pending for a while, as a second's burst does when a look falls on it.
    s.consume(
      "y1",
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        done++;
      },
      { timings: { reclaimEveryMs: 50 } },
    );
    for (let i = 0; i < 3; i++) {
      await s.checks.add("y1", s.make("y1", 1, 1_000));
      await waitFor(() => done === i + 1, { what: "a check run" });
    }
    // Nothing pending could be claimable before reclaimIdleMs(1_000) after its adding.
    expect(claims).not.toHaveBeenCalled();
  });

  it("get their group back after the stream is gone (a flush), and read what was added meanwhile", async ({
    expect,
    s,
  }) => {
    const ran: string[] = [];
    s.consume("f1", async (check) => void ran.push(check.monitorId));
    await s.checks.add("f1", s.make("f1", 1));
    await waitFor(() => ran.length === 1, { what: "a check run" });
    await s.client.del(s.key("f1"));
    const [after] = s.make("f1", 1);
    await s.checks.add("f1", [after!]);
    await waitFor(() => ran.includes(after!.monitorId), { timeoutMs: 10_000, what: "the check added after the flush" });
    expect(ran).toHaveLength(2);
  });
});
