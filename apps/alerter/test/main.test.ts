import { fileURLToPath } from "node:url";
import { type AppProcess, promtoolProblems, type RunningApp, serviceEndpoints } from "@upfleet/testing";
import { test } from "@upfleet/testing/fixtures";
import { describe, expect } from "vitest";

/** A configured key: without one, a process generates its development key in the database at start. */
const CONFIGURED_KEY = "k1:BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=";

const cwd = fileURLToPath(new URL("..", import.meta.url));

type Overrides = Record<string, string>;

/** `start` and `spawn` an alerter on the file's database and Redis space, in the test's `apps` group. */
const it = test.extend<{
  start: (overrides?: Overrides) => Promise<RunningApp>;
  spawn: (overrides?: Overrides) => AppProcess;
}>({
  start: async ({ database, redis, apps }, use) =>
    use((overrides = {}) => apps.start(alerter(database.url, redis, overrides))),
  spawn: async ({ database, redis, apps }, use) =>
    use((overrides = {}) => apps.spawn(alerter(database.url, redis, overrides))),
});

function alerter(databaseUrl: string, redis: { url: string; prefix: string }, overrides: Overrides) {
  return {
    cwd,
    env: {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      REDIS_PREFIX: redis.prefix,
      HEALTH_PORT: "0",
      LOG_LEVEL: "info",
      ...overrides,
    },
  };
}

describe("alerter process", () => {
  it("serves /healthz, /readyz and /metrics, and stops cleanly on SIGTERM", async ({ start }) => {
    const app = await start();
    await app.waitForLog((e) => e.msg === "alerter started");

    const { healthz, readyz, metrics } = await serviceEndpoints(app.url);
    expect(healthz).toBe(200);
    expect(readyz).toMatchObject({ status: 200, body: { ready: true, checks: { postgres: "ok", redis: "ok" } } });
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain("# TYPE process_cpu_user_seconds_total counter");
    expect(metrics.text).toContain('service="alerter"');
    expect((await promtoolProblems(metrics.text)) ?? []).toEqual([]);

    expect(await app.stop("SIGTERM"), app.output()).toEqual({ code: 0, signal: null });
    expect(app.output()).toContain('"msg":"stopped"');
  });

  it.for([
    ["Redis", { REDIS_URL: "redis://127.0.0.1:1" }, { postgres: "ok", redis: "unreachable" }],
    [
      "PostgreSQL",
      { DATABASE_URL: "postgresql://postgres@127.0.0.1:1/upfleet", ENCRYPTION_KEY: CONFIGURED_KEY },
      { postgres: "unreachable", redis: "ok" },
    ],
  ] as [string, Overrides, object][])("is not ready while %s is unreachable", async ([, env, checks], { start }) => {
    const app = await start(env);
    const { healthz, readyz } = await serviceEndpoints(app.url);
    expect(healthz).toBe(200);
    expect(readyz).toMatchObject({ status: 503, body: { ready: false, checks } });
    expect(await app.stop("SIGTERM"), app.output()).toEqual({ code: 0, signal: null });
  });

  it.for([
    ["DATABASE_URL", "mysql://db/upfleet"],
    ["HEALTH_PORT", "abc"],
  ])("exits 1 naming %s when it is %j", async ([name, value], { spawn }) => {
    const app = spawn({ [name!]: value! });
    expect(await app.exited).toEqual({ code: 1, signal: null });
    expect(app.output()).toContain(`${name}:`);
    expect(app.output()).not.toContain("health server listening");
  });
});
