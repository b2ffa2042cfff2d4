import { test } from "@upfleet/testing/fixtures";
import { Redis } from "ioredis";
import { describe } from "vitest";
import { CheckStream } from "./check-stream.ts";
import type { CheckJob } from "./jobs.ts";
import { checksStreamKey } from "./names.ts";
import { ScheduleStore } from "./schedule-store.ts";

const it = test.extend<{ client: Redis }>({
  client: async ({ redis }, use) => {
    const client = new Redis(redis.url);
    await use(client);
    client.disconnect();
  },
});

const check = (monitorId: string, region: string, tick: number): CheckJob => ({
  monitorId,
  organizationId: "org_test",
  region,
  tick,
  intervalMs: 10_000,
  spec: { type: "unrunnable", reason: "a test's check", timeoutMs: 1_000 },
});

describe.concurrent("the schedule's advance", () => {
  it("adds a pass's checks and moves its monitors in one script", async ({ expect, client, redis }) => {
    const prefix = `${redis.prefix}:a1`;
    const store = new ScheduleStore(client, prefix);
    const checks = new CheckStream(client, prefix);
    await client.zadd(store.dueKey, 1_000, "mon_a", 1_000, "mon_b", 5_000, "mon_c");
    const adds = [
      ...checks.entries("eu", [check("mon_a", "eu", 1_000), check("mon_b", "eu", 1_000)], 1),
      ...checks.entries("us", [check("mon_a", "us", 1_000)]),
    ];
    const moves = [
      { monitorId: "mon_a", fromMs: 1_000, toMs: 11_000 },
      // Rescheduled since the peek (its score is not the tick dispatched): the new time wins.
      { monitorId: "mon_c", fromMs: 1_000, toMs: 11_000 },
    ];
    expect(await store.advance(moves, adds)).toBe(1);
    const ids = async (region: string) =>
      (await client.xrange(checksStreamKey(prefix, region), "-", "+")).map(([, fields]) =>
        fields.filter((_, i) => i % 2 === 0),
      );
    expect(await ids("eu")).toEqual([["mon_a@eu@1000"], ["mon_b@eu@1000"]]);
    expect(await ids("us")).toEqual([["mon_a@us@1000"]]);
    expect(await client.zrange(store.dueKey, 0, -1, "WITHSCORES")).toEqual([
      "mon_b",
      "1000",
      "mon_c",
      "5000",
      "mon_a",
      "11000",
    ]);
    expect(await store.advance([], [])).toBe(0);
  });

  it("moves nothing when Redis refuses a check (at-least-once)", async ({ expect, client, redis }) => {
    const prefix = `${redis.prefix}:a2`;
    const store = new ScheduleStore(client, prefix);
    const checks = new CheckStream(client, prefix);
    await client.zadd(store.dueKey, 1_000, "mon_a");
    // Not a stream: its XADD fails, after the one before it went through.
    await client.set(checksStreamKey(prefix, "broken"), "x");
    const adds = [
      ...checks.entries("eu", [check("mon_a", "eu", 1_000)]),
      ...checks.entries("broken", [check("mon_a", "broken", 1_000)]),
    ];
    await expect(store.advance([{ monitorId: "mon_a", fromMs: 1_000, toMs: 11_000 }], adds)).rejects.toThrow(
      /WRONGTYPE/,
    );
    expect(await client.zscore(store.dueKey, "mon_a")).toBe("1000");
  });
});
