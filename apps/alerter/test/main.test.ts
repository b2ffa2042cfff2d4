import { fileURLToPath } from "node:url";
import {
  type AppProcess,
  createTestDatabase,
  createTestRedis,
  spawnApp,
  startApp,
  type TestDatabase,
} from "@upfleet/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

const cwd = fileURLToPath(new URL("..", import.meta.url));
const redis = createTestRedis();
let database: TestDatabase;
let env: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  env = {
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    REDIS_PREFIX: redis.prefix,
    HEALTH_PORT: "0",
    LOG_LEVEL: "info",
  };
});

const apps: AppProcess[] = [];
async function start(overrides: Record<string, string> = {}) {
  const app = await startApp({ cwd, env: { ...env, ...overrides } });
  apps.push(app);
  return app;
}

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.stop("SIGKILL")));
});
afterAll(async () => {
  await redis.cleanup();
  await database?.drop();
});

describe("alerter process", () => {
  it("serves /healthz, /readyz and /metrics, and stops cleanly on SIGTERM", async () => {
    const app = await start();
    await app.waitForLog((e) => e.msg === "alerter started");

    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, checks: { postgres: "ok", redis: "ok" } });
    const metrics = await fetch(`${app.url}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toContain("# TYPE process_cpu_user_seconds_total counter");
    expect(text).toContain('service="alerter"');

    expect(await app.stop("SIGTERM")).toEqual({ code: 0, signal: null });
    expect(app.output()).toContain('"msg":"stopped"');
  });

  it("is not ready while Redis is unreachable", async () => {
    const app = await start({ REDIS_URL: "redis://127.0.0.1:1" });
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, checks: { postgres: "ok", redis: "unreachable" } });
    expect(await app.stop("SIGTERM")).toEqual({ code: 0, signal: null });
  });

  it("is not ready while PostgreSQL is unreachable", async () => {
    const app = await start({ DATABASE_URL: "postgresql://postgres@127.0.0.1:1/upfleet" });
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, checks: { postgres: "unreachable", redis: "ok" } });
    expect(await app.stop("SIGTERM")).toEqual({ code: 0, signal: null });
  });

  it.each([
    ["DATABASE_URL", "mysql://db/upfleet"],
    ["HEALTH_PORT", "abc"],
  ])("exits 1 naming %s when it is %j", async (name, value) => {
    const app = spawnApp({ cwd, env: { ...env, [name]: value } });
    apps.push(app);
    expect(await app.exited).toEqual({ code: 1, signal: null });
    expect(app.output()).toContain(`${name}:`);
    expect(app.output()).not.toContain("health server listening");
  });
});
