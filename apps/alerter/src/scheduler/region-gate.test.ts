import { createLogger } from "@upfleet/logger";
import { CheckStream, FleetRegistry, staleAt, type WorkerInfo } from "@upfleet/queue";
import { test } from "@upfleet/testing/fixtures";
import { Redis } from "ioredis";
import { Registry } from "prom-client";
import { describe, expect } from "vitest";
import { RegionGate, type RegionStream } from "./region-gate.ts";

const EU: RegionStream = { region: "eu", lane: "general" };
const US: RegionStream = { region: "us", lane: "general" };

interface Harness {
  gate: RegionGate;
  fleet: FleetRegistry;
  checks: CheckStream;
  /** How many times the gate has read the fleet. */
  reads(): number;
  /** A live worker of `region`, seen at `at`. */
  worker(region: string, at: number): Promise<void>;
}

/** The gate on a real Redis, counting its reads of the fleet. */
const it = test.extend<{ h: Harness }>({
  h: async ({ redis, task }, use) => {
    const client = new Redis(redis.url);
    // The file's prefix is shared by its tests: each gets a fleet and streams of its own under it.
    const prefix = `${redis.prefix}:${task.id}`;
    const fleet = new FleetRegistry(client, prefix);
    const checks = new CheckStream(client, prefix);
    let reads = 0;
    const counted = {
      list: (now?: number) => {
        reads++;
        return fleet.list(now);
      },
    };
    const gate = new RegionGate({
      fleet: counted,
      checks,
      logger: createLogger("test", "silent"),
      metrics: new Registry(),
    });
    let workers = 0;
    await use({
      gate,
      fleet,
      checks,
      reads: () => reads,
      worker: (region, at) =>
        fleet.report({
          id: `w${++workers}`,
          region,
          hostname: "test",
          version: "test",
          concurrency: 10,
          in_flight: 0,
          started_at: new Date(at).toISOString(),
          last_seen_at: new Date(at).toISOString(),
          schedule_lag_ms: null,
          checks_per_minute: 0,
          icmp: false,
          icmp_problem: null,
        } satisfies WorkerInfo),
    });
    client.disconnect();
  },
});

describe("RegionGate's reads of the fleet", () => {
  it("are trusted 5 s while every region has a live worker and nothing waits", async ({ h }) => {
    const t0 = Date.now();
    await Promise.all([h.worker("eu", t0), h.worker("us", t0)]);
    await h.gate.refresh([EU, US], t0);
    expect(h.reads()).toBe(1);
    await h.gate.refresh([EU, US], t0 + 4_900);
    expect(h.reads()).toBe(1);
    await h.gate.refresh([EU, US], t0 + 5_000);
    expect(h.reads()).toBe(2);
    expect(h.gate.isOpen(EU) && h.gate.isOpen(US)).toBe(true);
  });

  it("are trusted 1 s while a region has no live worker, so a returning one gets checks within a second", async ({
    h,
  }) => {
    const t0 = Date.now();
    await h.worker("eu", t0);
    await h.gate.refresh([EU, US], t0);
    await h.gate.refresh([EU, US], t0 + 900);
    expect(h.reads()).toBe(1);
    await h.gate.refresh([EU, US], t0 + 1_000);
    expect(h.reads()).toBe(2);
  });

  it("are read again when a stream is new to the gate, whatever the trust", async ({ h }) => {
    const t0 = Date.now();
    await Promise.all([h.worker("eu", t0), h.worker("us", t0)]);
    await h.gate.refresh([EU], t0);
    await h.gate.refresh([EU, US], t0 + 100);
    expect(h.reads()).toBe(2);
  });

  it("are trusted only until the oldest waiting check goes stale, if that is sooner than 5 s", async ({ h }) => {
    const t0 = Date.now();
    await h.worker("eu", t0);
    const spec = { type: "unrunnable", reason: "a test's check", timeoutMs: 1_000 } as const;
    await h.checks.add("eu", [
      { monitorId: "mon_1", organizationId: "org_1", region: "eu", tick: t0, intervalMs: 1_000, spec },
    ]);
    await h.gate.refresh([EU], t0);
    expect(h.gate.isOpen(EU)).toBe(true);
    const stale = staleAt(t0, 1_000);
    expect(stale - t0).toBeLessThan(5_000);
    await h.gate.refresh([EU], stale - 100);
    expect(h.reads()).toBe(1);
    // Read again as it goes stale: nobody took it, so the region gets no more checks.
    await h.gate.refresh([EU], stale);
    expect(h.reads()).toBe(2);
    expect(h.gate.isOpen(EU)).toBe(false);
  });
});
