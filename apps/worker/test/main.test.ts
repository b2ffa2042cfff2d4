import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { appLauncher, createTestRedis, promtoolProblems, serviceEndpoints } from "@upfleet/testing";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { runCheckJob } from "./run-check.ts";

const cwd = fileURLToPath(new URL("..", import.meta.url));
const redis = createTestRedis();
const env = {
  REDIS_URL: redis.url,
  REDIS_PREFIX: redis.prefix,
  HEALTH_PORT: "0",
  REGION: "eu-west",
  CONCURRENCY: "7",
  LOG_LEVEL: "info",
};

const workers = appLauncher(cwd, () => env);
const start = workers.start;

afterEach(() => workers.stopAll());
afterAll(() => redis.cleanup());

/** Queues one check for eu-west and returns the result a worker published for it. */
async function runJob(spec: Record<string, unknown>) {
  const round = {
    monitorId: "mon_x",
    organizationId: "org_x",
    region: "eu-west",
    tick: Date.now(),
    intervalMs: 60_000,
  };
  const published = await runCheckJob(redis, round, spec);
  expect(published).toMatchObject(round);
  return published;
}

describe("worker process", () => {
  it("serves /healthz, /readyz and /metrics, and stops cleanly on SIGTERM", async () => {
    const app = await start();
    await app.waitForLog(
      (e) =>
        e.msg === "worker started" &&
        JSON.stringify(e.streams) ===
          JSON.stringify([`${redis.prefix}:checks:eu-west`, `${redis.prefix}:checks:eu-west:icmp`]) &&
        e.concurrency === 7,
    );

    const { healthz, readyz, metrics } = await serviceEndpoints(app.url);
    expect(healthz).toBe(200);
    expect(readyz).toMatchObject({ status: 200, body: { ready: true, checks: { redis: "ok" } } });
    expect(metrics.status).toBe(200);
    expect(metrics.contentType).toContain("text/plain");
    expect(metrics.text).toContain("# TYPE process_cpu_user_seconds_total counter");
    expect(metrics.text).toContain('service="worker"');
    expect((await promtoolProblems(metrics.text)) ?? []).toEqual([]);

    expect(await app.stop("SIGTERM")).toEqual({ code: 0, signal: null });
    expect(app.output()).toContain('"msg":"stopped"');
  });

  it("stops cleanly on SIGINT too", async () => {
    const app = await start();
    expect(await app.stop("SIGINT")).toEqual({ code: 0, signal: null });
  });

  it("is alive but not ready while Redis is unreachable, and still stops cleanly", async () => {
    const app = await start({ REDIS_URL: "redis://127.0.0.1:1" });
    const { healthz, readyz } = await serviceEndpoints(app.url);
    expect(healthz).toBe(200);
    expect(readyz).toMatchObject({ status: 503, body: { ready: false, checks: { redis: "unreachable" } } });
    expect(await app.stop("SIGTERM")).toEqual({ code: 0, signal: null });
  });

  it("starts without database credentials and ignores them when given", async () => {
    const app = await start({ DATABASE_URL: "not a url at all" });
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
  });

  it.each([
    ["CONCURRENCY", "abc"],
    ["REGION", "EU West"],
  ])("exits 1 naming %s when it is %j", async (name, value) => {
    const app = workers.spawn({ [name]: value });
    expect(await app.exited).toEqual({ code: 1, signal: null });
    expect(app.output()).toContain(`${name}:`);
    expect(app.output()).not.toContain("health server listening");
  });

  it("answers a check it cannot run (settings over today's limits) with a down result that says so", async () => {
    await start();
    const steps = Array.from({ length: 21 }, (_, i) => ({
      name: `s${i}`,
      method: "GET",
      url: "https://example.com",
    }));
    expect(await runJob({ type: "api", steps, timeoutMs: 5_000 })).toMatchObject({
      result: { status: "down", error: "invalid_settings", message: expect.stringContaining("settings") },
    });
  });

  it("pings a ping monitor's host, with round-trip times in its result", async () => {
    await start({ OUTBOUND_ALLOW_CIDRS: "127.0.0.0/8" });
    const published = await runJob({ type: "ping", host: "127.0.0.1", timeoutMs: 2_000 });
    expect(published).toMatchObject({
      result: { status: "up", details: { ip: "127.0.0.1", packetsReceived: 3, rttAvgMs: expect.any(Number) } },
    });
  });

  it("says at start when its machine cannot send ICMP, and then reads no ping checks", async () => {
    const app = await start({ PATH: "/nonexistent" });
    const said = await app.waitForLog((e) => e.msg === "this worker takes no ping checks");
    expect(said.problem).toMatch(/^this machine cannot send ICMP: .*no ping command/);
    const started = await app.waitForLog((e) => e.msg === "worker started");
    expect(started).toMatchObject({ icmp: false, streams: [`${redis.prefix}:checks:eu-west`] });
  });

  it("takes no ping checks when PING_CHECKS=false, though it could send ICMP", async () => {
    const app = await start({ PING_CHECKS: "false" });
    const said = await app.waitForLog((e) => e.msg === "this worker takes no ping checks");
    expect(said.problem).toBe("switched off by configuration (PING_CHECKS=false)");
    const started = await app.waitForLog((e) => e.msg === "worker started");
    expect(started).toMatchObject({ icmp: false, streams: [`${redis.prefix}:checks:eu-west`] });
  });

  it("exits 1 naming HEALTH_PORT when the port is taken", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "0.0.0.0", resolve));
    try {
      const { port } = taken.address() as { port: number };
      const app = workers.spawn({ HEALTH_PORT: String(port) });
      expect(await app.exited).toEqual({ code: 1, signal: null });
      expect(app.output()).toContain(`HEALTH_PORT ${port}`);
    } finally {
      taken.close();
    }
  });
});
