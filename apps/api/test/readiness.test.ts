import { describe, expect } from "vitest";
import { test as it } from "./support/fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

/** A configured key: without one, a process generates its development key in the database at start. */
const CONFIGURED_KEY = "k1:BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=";

const CLOSED_PORT = 1;

/** A second instance on `api`'s database and Redis prefix, with one dependency pointed nowhere. */
async function withInstance(api: TestApi, env: Record<string, string>, work: (instance: TestApi) => Promise<void>) {
  const instance = await startTestApi(env, { database: api.database, redis: api.redis });
  try {
    await work(instance);
  } finally {
    await instance.close();
  }
}

describe("service endpoints", () => {
  it("/healthz says the process is alive", async ({ api }) => {
    const res = await api.request("GET", "/healthz");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
  });

  it("/readyz is 200 when PostgreSQL and Redis both answer", async ({ api }) => {
    const res = await api.request("GET", "/readyz");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok", ready: true, checks: { postgres: "ok", redis: "ok" } });
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("/readyz is 503 when Redis is unreachable", async ({ api }) => {
    await withInstance(api, { REDIS_URL: `redis://127.0.0.1:${CLOSED_PORT}` }, async (instance) => {
      const res = await instance.request("GET", "/readyz");
      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        status: "unavailable",
        ready: false,
        checks: { postgres: "ok", redis: "unreachable" },
      });
      // Alive all the same: an orchestrator must not restart a process whose dependency is down.
      expect((await instance.request("GET", "/healthz")).status).toBe(200);
    });
  });

  it("/readyz is 503 when PostgreSQL is unreachable", async ({ api }) => {
    await withInstance(
      api,
      { DATABASE_URL: `postgresql://postgres@127.0.0.1:${CLOSED_PORT}/upfleet`, ENCRYPTION_KEY: CONFIGURED_KEY },
      async (instance) => {
        const res = await instance.request("GET", "/readyz");
        expect(res.status).toBe(503);
        expect(res.body).toEqual({
          status: "unavailable",
          ready: false,
          checks: { postgres: "unreachable", redis: "ok" },
        });
        expect((await instance.request("GET", "/healthz")).status).toBe(200);
      },
    );
  });

  it("/metrics serves Prometheus text with request latency and process metrics", async ({ api }) => {
    expect((await api.request("GET", "/healthz")).status).toBe(200);
    const res = await api.request("GET", "/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toContain("# TYPE upfleet_http_request_duration_seconds histogram");
    const healthz = res.text
      .split("\n")
      .find(
        (line) => line.startsWith("upfleet_http_request_duration_seconds_count{") && line.includes('route="/healthz"'),
      );
    expect(healthz).toContain('status="200"');
    expect(healthz).toContain('service="api"');
    expect(Number(healthz?.split(" ").at(-1))).toBeGreaterThanOrEqual(1);
    expect(res.text).toMatch(/^process_cpu_user_seconds_total\{service="api"\} /m);
    expect(res.text).toMatch(/^process_resident_memory_bytes\{service="api"\} /m);
    expect(res.text).toMatch(/^nodejs_eventloop_lag_seconds\{service="api"\} /m);
  });

  it("labels latency by route template, never by raw path", async ({ api }) => {
    await api.request("GET", "/api/v1/keys/key_01234567890123456789012345");
    await api.request("GET", "/api/v1/no-such-route");
    const { text } = await api.request("GET", "/metrics");
    expect(text).not.toContain("key_0123");
    expect(text).not.toContain("no-such-route");
    expect(text).toMatch(/route="unmatched",status="404"/);
  });
});
