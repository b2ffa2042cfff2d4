import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { type AppProcess, createTestRedis, spawnApp, startApp } from "@upfleet/testing";
import { afterAll, afterEach, describe, expect, it } from "vitest";

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

const apps: AppProcess[] = [];
async function start(overrides: Record<string, string> = {}) {
  const app = await startApp({ cwd, env: { ...env, ...overrides } });
  apps.push(app);
  return app;
}

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.stop("SIGKILL")));
});
afterAll(() => redis.cleanup());

describe("worker process", () => {
  it("serves /healthz, /readyz and /metrics, and stops cleanly on SIGTERM", async () => {
    const app = await start();
    await app.waitForLog((e) => e.msg === "worker started" && e.queue === "checks-eu-west" && e.concurrency === 7);

    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, checks: { redis: "ok" } });
    const metrics = await fetch(`${app.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get("content-type")).toContain("text/plain");
    const text = await metrics.text();
    expect(text).toContain("# TYPE process_cpu_user_seconds_total counter");
    expect(text).toContain('service="worker"');

    expect(await app.stop("SIGTERM")).toEqual({ code: 0, signal: null });
    expect(app.output()).toContain('"msg":"stopped"');
  });

  it("stops cleanly on SIGINT too", async () => {
    const app = await start();
    expect(await app.stop("SIGINT")).toEqual({ code: 0, signal: null });
  });

  it("is alive but not ready while Redis is unreachable, and still stops cleanly", async () => {
    const app = await start({ REDIS_URL: "redis://127.0.0.1:1" });
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, checks: { redis: "unreachable" } });
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
    const app = spawnApp({ cwd, env: { ...env, [name]: value } });
    apps.push(app);
    expect(await app.exited).toEqual({ code: 1, signal: null });
    expect(app.output()).toContain(`${name}:`);
    expect(app.output()).not.toContain("health server listening");
  });

  it("exits 1 naming HEALTH_PORT when the port is taken", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "0.0.0.0", resolve));
    try {
      const { port } = taken.address() as { port: number };
      const app = spawnApp({ cwd, env: { ...env, HEALTH_PORT: String(port) } });
      apps.push(app);
      expect(await app.exited).toEqual({ code: 1, signal: null });
      expect(app.output()).toContain(`HEALTH_PORT ${port}`);
    } finally {
      taken.close();
    }
  });
});
