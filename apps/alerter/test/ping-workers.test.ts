import type { Prisma } from "@upfleet/db";
import { TYPE_DEFAULTS } from "@upfleet/monitors";
import { CheckStream, FleetRegistry, regionOverview } from "@upfleet/queue";
import { startApp, waitFor } from "@upfleet/testing";
import { Redis } from "ioredis";
import { describe, it } from "vitest";
import { apiApp, checksRun, metricValue, startSandbox } from "./support.ts";

const ADMIN = "ops@example.com";

/**
 * Issue #16 item 5: a worker that takes no ping checks (PING_CHECKS=false here; a machine without ICMP
 * is the same) says so in GET /workers and is never handed one: ping checks travel on the region's
 * ICMP stream, which only workers that can ping read. With no such worker in the region they are
 * withheld (not run, not failed) while its http checks go on.
 */
describe("ping checks and workers that cannot send ICMP", { timeout: 300_000 }, () => {
  it("are withheld from a region whose only worker takes none, then run by the worker that can ping, never by the other", async ({
    expect,
    onTestFinished,
  }) => {
    const s = await startSandbox();
    onTestFinished(() => s.stop());
    const redis = new Redis(s.services.redisUrl);
    onTestFinished(() => redis.disconnect());
    const registry = new FleetRegistry(redis, s.services.redisPrefix);
    const checks = new CheckStream(redis, s.services.redisPrefix);

    const http = await s.seed.httpMonitor(`${s.target.url}/h`);
    const ping = await s.seed.httpMonitor("ping 127.0.0.1", {
      type: "ping",
      settings: { ...TYPE_DEFAULTS.ping, host: "127.0.0.1" } as Prisma.InputJsonValue,
    });
    const results = async (monitorId: string) =>
      s.db.checkResult.findMany({ where: { monitor: { id: monitorId } }, orderBy: { tick: "asc" } });

    const blind = await s.worker({ PING_CHECKS: "false" });
    const alerter = await s.alerter();
    const launch = apiApp(s.services, 90_000, { FLEET_ADMIN_EMAILS: ADMIN });
    const api = await startApp(launch);
    onTestFinished(async () => void (await api.stop("SIGKILL")));
    const signup = await fetch(`${api.url}/api/v1/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: ADMIN, password: "correct horse battery", organization_name: "Ops" }),
    });
    expect(signup.status).toBe(201);
    const { token } = (await signup.json()) as { token: string };
    const workers = async () => {
      const response = await fetch(`${api.url}/api/v1/workers`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      return (await response.json()) as { id: string; icmp: boolean; icmp_problem: string | null }[];
    };

    // Only the worker without ping: http checks run, ping checks are kept back once the region's
    // 10 s grace for a stream without a reader ran out (the scheduler's, for a flushed registry).
    expect(await workers()).toEqual([
      expect.objectContaining({
        id: blind.id,
        icmp: false,
        icmp_problem: "switched off by configuration (PING_CHECKS=false)",
      }),
    ]);
    await waitFor(
      async () =>
        (await results(http.id)).length >= 2 &&
        ((await metricValue(alerter.url, "upfleet_checks_withheld_total", 'region="local"')) ?? 0) > 0,
      { timeoutMs: 90_000, what: "http checks stored and ping checks withheld" },
    );
    expect(await results(ping.id)).toEqual([]);
    expect(await checksRun(blind.url, "ping")).toBe(0);
    const [region] = await regionOverview(["local"], await registry.list(), checks);
    expect(region).toMatchObject({ workers: 1, icmp_workers: 0, dispatching: true, ping_dispatching: false });
    const monitor = await s.db.monitor.findUniqueOrThrow({ where: { id: ping.id } });
    expect(monitor.status).toBe("pending");

    // A worker that can ping joins: it runs every ping check; the other still runs none.
    const pinger = await s.worker();
    expect(await workers()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: blind.id, icmp: false }),
        expect.objectContaining({ id: pinger.id, icmp: true, icmp_problem: null }),
      ]),
    );
    await waitFor(async () => (await results(ping.id)).length >= 3, {
      timeoutMs: 90_000,
      what: "three ping checks stored",
    });
    const pings = await results(ping.id);
    expect(pings.map((r) => r.status)).toEqual(pings.map(() => "up"));
    expect(await checksRun(blind.url, "ping")).toBe(0);
    expect(await checksRun(pinger.url, "ping")).toBeGreaterThanOrEqual(pings.length);
    // http checks went on meanwhile, on either worker.
    expect(await checksRun(blind.url, "http")).toBeGreaterThan(0);
    const [after] = await regionOverview(["local"], await registry.list(), checks);
    expect(after).toMatchObject({ workers: 2, icmp_workers: 1, ping_dispatching: true });
  });
});
