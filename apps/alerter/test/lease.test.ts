import { LeaderLock } from "@upfleet/queue";
import { waitFor } from "@upfleet/testing";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedisServer, startRedisServer } from "./redis-server.ts";

/**
 * The scheduler lease against a Redis of the test's own, stopped, restarted and paused under it.
 * Issue #14 point 8: after a ~30 s outage the lone alerter replayed its queued SET NX calls and
 * locked itself out of its own lease for ~10 s.
 */
const TTL_MS = 4_000;
const RENEW_EVERY_MS = 300;

let server: RedisServer;
const clients: Redis[] = [];

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server.close();
});

function connect(): Redis {
  const client = new Redis(`redis://127.0.0.1:${server.port}`);
  client.on("error", () => undefined);
  clients.push(client);
  return client;
}

/** Calls `hold` every RENEW_EVERY_MS without waiting for the previous call, as the alerter's timer does. */
function renewing(lock: LeaderLock): { outcomes: string[]; stop(): void } {
  const outcomes: string[] = [];
  const timer = setInterval(() => {
    void lock.hold().then((outcome) => outcomes.push(outcome));
  }, RENEW_EVERY_MS);
  return { outcomes, stop: () => clearInterval(timer) };
}

/** The outcomes of the next five calls of `timer`. */
async function nextFive(timer: { outcomes: string[] }): Promise<string[]> {
  const from = timer.outcomes.length;
  await waitFor(() => timer.outcomes.length >= from + 5, { what: "five more calls answered" });
  return timer.outcomes.slice(from, from + 5);
}

/** After Redis came back at `since`, the lease is ours again within the time a connection takes to come up, not after it expired. */
async function takenBack(holder: LeaderLock, since: number): Promise<void> {
  await waitFor(() => holder.isHeld, { timeoutMs: TTL_MS, intervalMs: 20, what: "the lease taken back" });
  expect(Date.now() - since).toBeLessThan(TTL_MS);
}

describe("LeaderLock", { timeout: 60_000 }, () => {
  it("is held by one process at a time; overlapping calls share one round trip; a released lease goes to the next", async () => {
    const redis = connect();
    const key = "lease:one-holder";
    const a = new LeaderLock(redis, key, TTL_MS);
    const b = new LeaderLock(redis, key, TTL_MS);
    expect(await Promise.all([a.hold(), a.hold(), a.hold()])).toEqual(["taken", "taken", "taken"]);
    expect(await a.hold()).toBe("held");
    expect(await b.hold()).toBe("lost");
    expect([a.isHeld, b.isHeld]).toEqual([true, false]);
    await a.release();
    expect(a.isHeld).toBe(false);
    expect(await b.hold()).toBe("taken");
    await b.release();
    expect(await redis.exists(key)).toBe(0);
  });

  it("keeps its lease across a Redis restart shorter than the lease, and never lets a contender in", async () => {
    const redis = connect();
    const key = "lease:short-restart";
    const holder = new LeaderLock(redis, key, 10_000);
    const contender = new LeaderLock(connect(), key, 10_000);
    expect(await holder.hold()).toBe("taken");
    const timer = renewing(holder);
    try {
      await server.stop("SIGTERM");
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      // Ours while it would last unrenewed; the calls meanwhile failed at once, none queued for later.
      expect(holder.isHeld).toBe(true);
      await server.start();
      const returned = Date.now();
      await waitFor(() => timer.outcomes.length > 0 && redis.status === "ready", { what: "calls answered again" });
      expect(await nextFive(timer)).toEqual(["held", "held", "held", "held", "held"]);
      // Renewed in Redis since it came back (unrenewed, under 7 s would be left).
      expect(await redis.pttl(key)).toBeGreaterThan(9_000);
      expect(holder.isHeld).toBe(true);
      expect(await contender.hold()).toBe("lost");
      expect(Date.now() - returned).toBeLessThan(10_000);
    } finally {
      timer.stop();
      await holder.release();
      await contender.release();
    }
  });

  it("takes its lease back at once after an outage longer than the lease (no lock-out by its own token)", async () => {
    const redis = connect();
    const key = "lease:long-outage";
    const holder = new LeaderLock(redis, key, TTL_MS);
    expect(await holder.hold()).toBe("taken");
    const timer = renewing(holder);
    try {
      await server.stop("SIGTERM");
      await new Promise((resolve) => setTimeout(resolve, TTL_MS + 1_500));
      expect(holder.isHeld).toBe(false);
      await server.start();
      await takenBack(holder, Date.now());
      expect(await nextFive(timer)).toEqual(["held", "held", "held", "held", "held"]);
    } finally {
      timer.stop();
      await holder.release();
    }
  });

  it("is not locked out by its own calls replayed when a paused Redis answers them all at once", async () => {
    const redis = connect();
    const key = "lease:replayed";
    const holder = new LeaderLock(redis, key, TTL_MS);
    const contender = new LeaderLock(connect(), key, TTL_MS);
    expect(await holder.hold()).toBe("taken");
    const timer = renewing(holder);
    try {
      // Paused, Redis keeps the connection open: each call is written to it, times out here, and
      // is executed late, back to back with the others, when Redis resumes.
      server.pause();
      await new Promise((resolve) => setTimeout(resolve, TTL_MS + 1_500));
      expect(holder.isHeld).toBe(false);
      server.resume();
      await takenBack(holder, Date.now());
      expect(await nextFive(timer)).toEqual(["held", "held", "held", "held", "held"]);
      expect(await contender.hold()).toBe("lost");
    } finally {
      timer.stop();
      await holder.release();
      await contender.release();
    }
  });

  it("tells a standby to try again the moment the holder's lease runs out, so it takes over within the lease time", async () => {
    const redis = connect();
    const key = "lease:standby";
    const leader = new LeaderLock(redis, key, TTL_MS);
    const standby = new LeaderLock(redis, key, TTL_MS);
    expect(await leader.hold()).toBe("taken");
    const renewedAt = Date.now();
    expect(await standby.hold()).toBe("lost");
    const wait = standby.nextAttemptIn(60_000);
    expect(wait).toBeGreaterThan(TTL_MS - 1_000);
    expect(wait).toBeLessThanOrEqual(TTL_MS + 10);
    // The holder renews on its own rhythm.
    expect(leader.nextAttemptIn(RENEW_EVERY_MS)).toBe(RENEW_EVERY_MS);
    // The leader dies (it never renews): the standby's next attempt, when told, takes the lease.
    await new Promise((resolve) => setTimeout(resolve, wait));
    expect(await standby.hold()).toBe("taken");
    expect(Date.now() - renewedAt).toBeLessThan(TTL_MS + 500);
    await standby.release();
    await leader.release();
  });
});
