import { connect, createServer, type Socket } from "node:net";
import { CheckStream, FleetRegistry, regionOverview } from "@upfleet/queue";
import { waitFor } from "@upfleet/testing";
import { Redis } from "ioredis";
import { describe, it } from "vitest";
import { metricValue, startSandbox } from "./support.ts";

const INTERVAL_MS = 10_000;
const REGIONS = ["pa", "pb"];

interface Link {
  url: string;
  /** Drops every connection and refuses new ones, as a network partition would. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/** A TCP proxy to Redis that the test can cut and restore. */
async function redisLink(redisUrl: string): Promise<Link> {
  const upstream = new URL(redisUrl);
  const open = new Set<Socket>();
  let cut = false;
  const server = createServer((client) => {
    if (cut) return void client.destroy();
    const remote = connect(Number(upstream.port || 6379), upstream.hostname);
    for (const socket of [client, remote]) {
      open.add(socket);
      socket.on("close", () => open.delete(socket));
      socket.on("error", () => undefined);
    }
    client.pipe(remote).pipe(client);
    client.on("close", () => remote.destroy());
    remote.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const url = new URL(redisUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return {
    url: url.toString(),
    cut() {
      cut = true;
      for (const socket of open) socket.destroy();
    },
    restore() {
      cut = false;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Issue #14 point 7: a region's worker cut off from Redis for a while. Its absence shows in the
 * region overview (what GET /regions serves) and the alerter's metrics within a minute, the monitor's
 * state follows the regions that report (API.md: a region that does not report is missing, not
 * failing), and once back the worker catches up without running the ticks it missed.
 */
describe("a region cut off from Redis", { timeout: 300_000 }, () => {
  it("shows as absent, leaves the monitor to the reporting region, and comes back without a flood", async ({
    expect,
    onTestFinished,
  }) => {
    const s = await startSandbox();
    const link = await redisLink(s.services.redisUrl);
    const redis = new Redis(s.services.redisUrl);
    onTestFinished(async () => {
      await s.stop();
      await link.close();
      redis.disconnect();
    });
    const registry = new FleetRegistry(redis, s.services.redisPrefix);
    const checks = new CheckStream(redis, s.services.redisPrefix);
    const overview = async () =>
      Object.fromEntries((await regionOverview(REGIONS, await registry.list(), checks)).map((r) => [r.name, r]));

    const monitor = await s.seed.httpMonitor(`${s.target.url}/p`, { regions: REGIONS });
    await s.worker({ REGION: "pa" });
    const pbWorker = await s.worker({ REGION: "pb", REDIS_URL: link.url });
    const alerter = await s.alerter({ REGIONS: REGIONS.join(",") });
    const status = async () => (await s.db.monitor.findUniqueOrThrow({ where: { id: monitor.id } })).status;
    const byRegion = async (region: string) =>
      (
        await s.db.checkResult.findMany({ where: { monitor: { id: monitor.id }, region }, orderBy: { tick: "asc" } })
      ).map((r) => r.tick.getTime());

    // Both regions report, and the monitor is up.
    await waitFor(async () => (await byRegion("pb")).length > 0 && (await status()) === "up", {
      timeoutMs: 60_000,
      what: "a round from both regions, the monitor up",
    });

    link.cut();
    const cutAt = Date.now();
    // Within a minute: no live worker in pb, no checks sent there, and the alerter's gauge says so.
    await waitFor(
      async () => {
        const { pb } = await overview();
        const gauge = await metricValue(alerter.url, "upfleet_region_dispatching", 'region="pb"');
        return pb!.workers === 0 && !pb!.dispatching && gauge === 0;
      },
      { timeoutMs: 60_000, what: "pb shown absent in the overview and the alerter's metrics" },
    );
    expect(Date.now() - cutAt).toBeLessThan(60_000);
    expect((await overview()).pa).toMatchObject({ workers: 1, dispatching: true });

    // Rounds go on with pa alone: a missing region is not a failing one, so the monitor stays up…
    const paAfterCut = () => byRegion("pa").then((ticks) => ticks.filter((t) => t > cutAt));
    await waitFor(async () => (await paAfterCut()).length >= 2, { timeoutMs: 40_000, what: "two pa-only rounds" });
    expect(await status()).toBe("up");
    // …and goes down when the one region that reports fails.
    s.target.behaveAt("/p", { status: 500 });
    await waitFor(async () => (await status()) === "down", { timeoutMs: 40_000, what: "the monitor down on pa alone" });
    const down = await s.db.monitorEvent.findFirstOrThrow({ where: { monitorId: monitor.id, type: "monitor.down" } });
    expect(down.tick.getTime()).toBeGreaterThan(cutAt);

    // The queue did not grow while the region was away: checks were kept back.
    expect((await overview()).pb!.queue_depth).toBeLessThanOrEqual(3);
    expect(await metricValue(alerter.url, "upfleet_checks_withheld_total", 'region="pb"')).toBeGreaterThan(0);

    link.restore();
    const restoredAt = Date.now();
    await waitFor(async () => (await byRegion("pb")).some((t) => t >= restoredAt - INTERVAL_MS), {
      timeoutMs: 60_000,
      what: "pb checking fresh ticks again",
    });
    await waitFor(async () => (await overview()).pb!.dispatching, { timeoutMs: 20_000, what: "pb dispatching again" });
    // No flood: the checks sent before the region was seen gone were skipped as stale, and none of the
    // ticks pb missed while away was run once it came back.
    await waitFor(async () => (await overview()).pb!.queue_depth === 0, {
      timeoutMs: 20_000,
      what: "pb's queue drained",
    });
    expect(await metricValue(pbWorker.url, "upfleet_worker_checks_total", 'outcome="skipped"')).toBeGreaterThan(0);
    const missedRun = (await byRegion("pb")).filter((t) => t > cutAt && t < restoredAt - 2 * INTERVAL_MS);
    expect(missedRun).toEqual([]);
  });
});
