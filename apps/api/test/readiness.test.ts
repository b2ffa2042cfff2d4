import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { createLogger } from "@upfleet/logger";
import { describe, expect } from "vitest";
import { startMetricsServer } from "../src/metrics-server.ts";
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

  it.for([
    ["Redis", { REDIS_URL: `redis://127.0.0.1:${CLOSED_PORT}` }, { postgres: "ok", redis: "unreachable" }],
    [
      "PostgreSQL",
      { DATABASE_URL: `postgresql://postgres@127.0.0.1:${CLOSED_PORT}/upfleet`, ENCRYPTION_KEY: CONFIGURED_KEY },
      { postgres: "unreachable", redis: "ok" },
    ],
  ] as [string, Record<string, string>, object][])(
    "/readyz is 503 when %s is unreachable",
    async ([, env, checks], { api }) => {
      await withInstance(api, env, async (instance) => {
        const res = await instance.request("GET", "/readyz");
        expect(res.status).toBe(503);
        expect(res.body).toEqual({ status: "unavailable", ready: false, checks });
        // Alive all the same: an orchestrator must not restart a process whose dependency is down.
        expect((await instance.request("GET", "/healthz")).status).toBe(200);
      });
    },
  );

  // METRICS_TOKEN is not set here: metrics.test.ts covers the public port with it.
  it("is not served on the public port", async ({ api }) => {
    const res = await api.request("GET", "/metrics", { auth: "metrics-token-0123456789" });
    expect(res.status).toBe(404);
    expect(res.body.error).toBe("not_found");
  });

  it("is served on METRICS_PORT, with /healthz and /readyz", async ({ api }) => {
    const server = await startMetricsServer(
      { ...api.deps, config: { ...api.deps.config, METRICS_PORT: 0 } },
      createLogger("test", "silent"),
    );
    if (!server) throw new Error("no metrics server");
    try {
      if (!server.listening) await once(server, "listening");
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const metrics = await fetch(`${url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/^process_cpu_user_seconds_total\{service="api"\} /m);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
    } finally {
      server.close();
    }
  });

  it("is not started without METRICS_PORT", async ({ api }) => {
    expect(await startMetricsServer(api.deps, createLogger("test", "silent"))).toBeUndefined();
  });
});
