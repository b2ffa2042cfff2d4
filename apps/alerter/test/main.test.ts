import { fileURLToPath } from "node:url";
import {
  appLauncher,
  createTestDatabase,
  createTestRedis,
  serviceEndpoints,
  type TestDatabase,
} from "@upfleet/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

/** A configured key: without one, a process generates its development key in the database at start. */
const CONFIGURED_KEY = "k1:BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=";

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

const alerters = appLauncher(cwd, () => env);
const start = alerters.start;

afterEach(() => alerters.stopAll());
afterAll(async () => {
  await redis.cleanup();
  await database?.drop();
});

describe("alerter process", () => {
  it("serves /healthz, /readyz and /metrics, and stops cleanly on SIGTERM", async () => {
    const app = await start();
    await app.waitForLog((e) => e.msg === "alerter started");

    const { healthz, readyz, metrics } = await serviceEndpoints(app.url);
    expect(healthz).toBe(200);
    expect(readyz).toMatchObject({ status: 200, body: { ready: true, checks: { postgres: "ok", redis: "ok" } } });
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain("# TYPE process_cpu_user_seconds_total counter");
    expect(metrics.text).toContain('service="alerter"');

    expect(await app.stop("SIGTERM"), app.output()).toEqual({ code: 0, signal: null });
    expect(app.output()).toContain('"msg":"stopped"');
  });

  it("is not ready while Redis is unreachable", async () => {
    const app = await start({ REDIS_URL: "redis://127.0.0.1:1" });
    const { healthz, readyz } = await serviceEndpoints(app.url);
    expect(healthz).toBe(200);
    expect(readyz).toMatchObject({
      status: 503,
      body: { ready: false, checks: { postgres: "ok", redis: "unreachable" } },
    });
    expect(await app.stop("SIGTERM"), app.output()).toEqual({ code: 0, signal: null });
  });

  it("is not ready while PostgreSQL is unreachable", async () => {
    const app = await start({
      DATABASE_URL: "postgresql://postgres@127.0.0.1:1/upfleet",
      ENCRYPTION_KEY: CONFIGURED_KEY,
    });
    const { healthz, readyz } = await serviceEndpoints(app.url);
    expect(healthz).toBe(200);
    expect(readyz).toMatchObject({
      status: 503,
      body: { ready: false, checks: { postgres: "unreachable", redis: "ok" } },
    });
    expect(await app.stop("SIGTERM"), app.output()).toEqual({ code: 0, signal: null });
  });

  it.each([
    ["DATABASE_URL", "mysql://db/upfleet"],
    ["HEALTH_PORT", "abc"],
  ])("exits 1 naming %s when it is %j", async (name, value) => {
    const app = alerters.spawn({ [name]: value });
    expect(await app.exited).toEqual({ code: 1, signal: null });
    expect(app.output()).toContain(`${name}:`);
    expect(app.output()).not.toContain("health server listening");
  });
});
