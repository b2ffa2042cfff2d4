import { createLogger } from "@upfleet/logger";
import {
  RESULTS_GROUP,
  type ResultJob,
  ResultPublisher,
  ResultStreamConsumer,
  resultsStreamKey,
  type StreamedResult,
} from "@upfleet/queue";
import { connectRedis, type RedisConnection } from "@upfleet/queue/redis";
import { waitFor } from "@upfleet/testing";
import { test } from "@upfleet/testing/fixtures";
import { describe, expect, vi } from "vitest";
import { resultJob } from "./testing.ts";

/**
 * The results path's Redis side on the real Redis (docs/adr/0012): workers' batches as stream entries,
 * read by the alerters' consumer group, stored, then acknowledged and deleted. The store here is a
 * list (ResultIngest's own tests cover PostgreSQL), so a failing or hanging store is easy to make.
 */
const it = test.extend<{
  connection: RedisConnection;
  /** A consumer over `regions` storing into `stored`; stopped after the test. */
  consume: (options: {
    regions: () => string[];
    store?: (results: ResultJob[]) => Promise<void>;
    name?: string;
    redis?: RedisConnection;
  }) => {
    consumer: ResultStreamConsumer;
    stored: ResultJob[];
  };
}>({
  connection: async ({ redis }, use) => {
    const connection = connectRedis({
      REDIS_URL: redis.url,
      REDIS_PREFIX: redis.prefix,
      REDIS_CLUSTER_NODES: [],
      REDIS_SENTINELS: [],
    });
    await use(connection);
    connection.disconnect();
  },
  consume: async ({ redis, connection }, use) => {
    const consumers: ResultStreamConsumer[] = [];
    await use(({ regions, store, name = "alerter-a", redis: own = connection }) => {
      const stored: ResultJob[] = [];
      const consumer = new ResultStreamConsumer({
        redis: own,
        redisPrefix: redis.prefix,
        consumer: name,
        regions: async () => regions(),
        admit: (batch: StreamedResult[]) => batch.flatMap((item) => (item.result ? [item.result] : [])),
        store: store ?? (async (results) => void stored.push(...results)),
        logger: createLogger("test", "silent"),
        timings: {
          blockMs: 500,
          regionsEveryMs: 200,
          reclaimIdleMs: 1_000,
          reclaimEveryMs: 300,
          forgetEveryMs: 300,
          forgottenAfterMs: 1_500,
        },
      });
      consumer.start();
      consumers.push(consumer);
      return { consumer, stored };
    });
    await Promise.all(consumers.map((c) => c.stop()));
  },
});

let ticked = 0;
/** A new round of monitor mon_a in `region` (each call a later tick). */
const round = (region: string) => {
  ticked++;
  const tick = Date.UTC(2026, 11, 6) + ticked * 60_000;
  return resultJob({ monitorId: "mon_a", organizationId: "org_a", region, tick, intervalMs: 60_000, status: "up" });
};
const ticks = (results: ResultJob[]) => results.map((r) => r.tick).sort();

describe("results streams", { timeout: 60_000 }, () => {
  it("carry a worker's results in one entry per batch, stored by the alerters' group, then acknowledged and deleted", async ({
    redis,
    connection,
    consume,
  }) => {
    const publisher = new ResultPublisher(connection, redis.prefix, "eu");
    const published = Array.from({ length: 5 }, () => round("eu"));
    await Promise.all(published.map((r) => publisher.publish(r)));
    const key = resultsStreamKey(redis.prefix, "eu");
    expect(await connection.xlen(key)).toBe(1);
    const [[, fields]] = (await connection.xrange(key, "-", "+")) as [string, string[]][] as [[string, string[]]];
    expect(fields.filter((_, i) => i % 2 === 0)).toEqual(published.map((r) => `mon_a@eu@${r.tick}`));

    const { stored } = consume({ regions: () => ["eu"] });
    await waitFor(() => stored.length === 5, { what: "the batch stored" });
    expect(ticks(stored)).toEqual(ticks(published));
    await waitFor(async () => (await connection.xlen(key)) === 0, { what: "the stored entry deleted" });
    expect((await connection.xpending(key, RESULTS_GROUP))[0]).toBe(0);
    await publisher.close();
  });

  it("acknowledge stored entries ahead of the next read, in its write, with no round trip of their own", async ({
    redis,
    connection,
    consume,
  }) => {
    const key = resultsStreamKey(redis.prefix, "ca");
    const { stored } = consume({ regions: () => ["ca"] });
    const publisher = new ResultPublisher(connection, redis.prefix, "ca");
    await publisher.publish(round("ca"));
    await waitFor(() => stored.length === 1, { what: "the first entry stored" });
    // The commands the process's main connection sends from now on: none to acknowledge.
    const transactions = vi.spyOn(connection, "multi");
    const pipelines = vi.spyOn(connection, "pipeline");
    const acks = vi.spyOn(connection, "xack");
    for (let i = 0; i < 3; i++) {
      await publisher.publish(round("ca"));
      await waitFor(() => stored.length === i + 2, { what: "a later entry stored" });
    }
    await waitFor(async () => (await connection.xlen(key)) === 0, { what: "every entry deleted" });
    expect((await connection.xpending(key, RESULTS_GROUP))[0]).toBe(0);
    expect([transactions, pipelines, acks].map((spy) => spy.mock.calls.length)).toEqual([0, 0, 0]);
    await publisher.close();
  });

  it("hand the entries of an alerter that died after storing them, before their acknowledgment went out, to a live one", async ({
    redis,
    connection,
    consume,
  }) => {
    const key = resultsStreamKey(redis.prefix, "ka");
    // The doomed alerter's connections (its reader is a copy) carry a name of their own, to be killed by it.
    const name = `doomed-${redis.prefix}`;
    const doomedRedis = connectRedis(
      { REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix, REDIS_CLUSTER_NODES: [], REDIS_SENTINELS: [] },
      { connectionName: name, retryStrategy: () => null },
    );
    doomedRedis.on("error", () => undefined);
    const killDoomed = async () => {
      const clients = ((await connection.client("LIST")) as string).split("\n");
      for (const line of clients.filter((c) => c.includes(` name=${name} `))) {
        await connection.client("KILL", "ID", /id=(\d+)/.exec(line)![1]!);
      }
    };
    const doomedStored: ResultJob[] = [];
    consume({
      regions: () => ["ka"],
      name: "alerter-doomed",
      redis: doomedRedis,
      store: async (results) => {
        doomedStored.push(...results);
        await killDoomed();
      },
    });
    const publisher = new ResultPublisher(connection, redis.prefix, "ka");
    const result = round("ka");
    await publisher.publish(result);
    await waitFor(() => doomedStored.length === 1 && doomedRedis.status === "end", {
      what: "stored by the doomed alerter, which then died",
    });
    expect((await connection.xpending(key, RESULTS_GROUP))[0]).toBe(1);

    const live = consume({ regions: () => ["ka"], name: "alerter-live" });
    // Stored a second time (ingest is idempotent on the round), then deleted: nothing lost.
    await waitFor(() => live.stored.length === 1, { what: "the entry reclaimed and stored again" });
    expect(live.stored).toEqual([result]);
    await waitFor(async () => (await connection.xlen(key)) === 0, { what: "then deleted" });
    expect((await connection.xpending(key, RESULTS_GROUP))[0]).toBe(0);
    await publisher.close();
  });

  it("retry a batch whose store failed, with backoff, and acknowledge it only once stored", async ({
    redis,
    connection,
    consume,
  }) => {
    let failures = 2;
    const stored: ResultJob[] = [];
    consume({
      regions: () => ["ap"],
      store: async (results) => {
        if (failures-- > 0) throw new Error("database blip");
        stored.push(...results);
      },
    });
    const publisher = new ResultPublisher(connection, redis.prefix, "ap");
    const result = round("ap");
    await publisher.publish(result);
    const key = resultsStreamKey(redis.prefix, "ap");
    await waitFor(async () => (await connection.xpending(key, RESULTS_GROUP))[0] === 1, {
      what: "the entry handed out",
    });
    await waitFor(() => stored.length === 1, {
      timeoutMs: 10_000,
      what: "stored on the third attempt (after 1 s and 2 s)",
    });
    expect(stored).toEqual([result]);
    await waitFor(async () => (await connection.xlen(key)) === 0, { what: "acknowledged and deleted once stored" });
  });

  it("hand the entries of an alerter that died before acknowledging them to a live one", async ({
    redis,
    connection,
    consume,
  }) => {
    const key = resultsStreamKey(redis.prefix, "sa");
    const publisher = new ResultPublisher(connection, redis.prefix, "sa");
    const result = round("sa");
    await publisher.publish(result);
    // A consumer that read the entry and died: it stays pending under that consumer's name.
    await connection.xgroup("CREATE", key, RESULTS_GROUP, "0", "MKSTREAM");
    await connection.xreadgroup("GROUP", RESULTS_GROUP, "alerter-dead", "STREAMS", key, ">");
    const { stored } = consume({ regions: () => ["sa"], name: "alerter-live" });
    await waitFor(() => stored.length === 1, { what: "the dead alerter's entry reclaimed and stored" });
    expect(stored).toEqual([result]);
    await waitFor(async () => (await connection.xlen(key)) === 0, { what: "then deleted" });
    // Holding nothing any more, the dead alerter's consumer is removed from the group; the live one stays.
    const consumers = async () =>
      ((await connection.xinfo("CONSUMERS", key, RESULTS_GROUP)) as string[][]).map((fields) => fields[1]);
    await waitFor(async () => (await consumers()).join() === "alerter-live", { what: "the dead consumer forgotten" });
  });

  it("share the entries between two alerters of the group, each stored once", async ({
    redis,
    connection,
    consume,
  }) => {
    const a = consume({ regions: () => ["af"], name: "alerter-a" });
    const b = consume({ regions: () => ["af"], name: "alerter-b" });
    const publisher = new ResultPublisher(connection, redis.prefix, "af");
    const published: ResultJob[] = [];
    for (let i = 0; i < 20; i++) {
      const batch = [round("af"), round("af")];
      published.push(...batch);
      await Promise.all(batch.map((r) => publisher.publish(r)));
    }
    await waitFor(() => a.stored.length + b.stored.length === published.length, { what: "every result stored" });
    expect(ticks([...a.stored, ...b.stored])).toEqual(ticks(published));
    expect(a.stored.length).toBeGreaterThan(0);
    expect(b.stored.length).toBeGreaterThan(0);
  });

  it("read a region first seen while running, and recreate a group its stream lost (a flushed Redis)", async ({
    redis,
    connection,
    consume,
  }) => {
    const regions = ["me"];
    const { stored } = consume({ regions: () => regions });
    regions.push("us");
    const us = new ResultPublisher(connection, redis.prefix, "us");
    const first = round("us");
    await us.publish(first);
    await waitFor(() => stored.length === 1, { what: "the new region's result stored" });

    // What FLUSHALL does to the consumer: its streams, their groups and the regions recorded vanish.
    await connection.del(resultsStreamKey(redis.prefix, "us"), resultsStreamKey(redis.prefix, "me"));
    await connection.del(`${redis.prefix}:results-regions`);
    const second = round("us");
    await us.publish(second);
    await waitFor(() => stored.length === 2, { timeoutMs: 10_000, what: "a result published after the flush stored" });
    expect(stored).toEqual([first, second]);
    await waitFor(
      async () => {
        const recorded = await connection.smembers(`${redis.prefix}:results-regions`);
        return recorded.includes("me") && recorded.includes("us");
      },
      {
        what: "the regions recorded again",
      },
    );
  });
});
