import { bullPrefix, checksQueueName, regionOverview } from "@upfleet/queue";
import { test } from "@upfleet/testing/fixtures";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { describe } from "vitest";

/**
 * Issue #14 point 8: /regions kept showing checks_per_minute for a region whose workers were all gone,
 * as BullMQ's newest per-minute point stays until a job completes again.
 */
describe("checks per minute in the region overview", () => {
  test("counts the last whole minute, and 0 once the region's workers are gone", async ({ expect, redis }) => {
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const prefix = bullPrefix(redis.prefix);
    const queue = new Queue(checksQueueName("gone1"), { connection, prefix });
    const worker = new Worker(checksQueueName("gone1"), async () => undefined, {
      connection,
      prefix,
      metrics: { maxDataPoints: 60 },
    });
    const run = async (n: number) => {
      const finished = new Promise<void>((resolve) => {
        let done = 0;
        const onCompleted = () => {
          if (++done < n) return;
          worker.off("completed", onCompleted);
          resolve();
        };
        worker.on("completed", onCompleted);
      });
      await queue.addBulk(Array.from({ length: n }, (_, i) => ({ name: "check", data: { i } })));
      await finished;
    };
    // Three checks, moved a minute back (BullMQ's metrics keep when their last point was written),
    // then five this minute: BullMQ writes the three as the last minute's point.
    await run(3);
    const metricsKey = `${prefix}:${checksQueueName("gone1")}:metrics:completed`;
    const prevTS = Number(await connection.hget(metricsKey, "prevTS"));
    await connection.hset(metricsKey, "prevTS", prevTS - 60_000);
    await run(5);
    await worker.close();

    const { meta } = await queue.getMetrics("completed", 0, 0);
    const perMinuteAt = async (now: number) =>
      (await regionOverview(["gone1"], [], () => queue, now))[0]!.checks_per_minute;
    expect(await perMinuteAt(meta.prevTS)).toBe(3);
    // The next minute shows the five, and after that, with the worker gone, nothing.
    expect(await perMinuteAt(meta.prevTS + 60_000)).toBe(5);
    expect(await perMinuteAt(meta.prevTS + 120_000)).toBe(0);
    expect(await perMinuteAt(meta.prevTS + 3_600_000)).toBe(0);

    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
  });
});
