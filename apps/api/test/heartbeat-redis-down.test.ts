import { describe, expect, it } from "vitest";
import { type RedisServer, startRedisServer } from "../../alerter/test/redis-server.ts";
import { LIMIT_COMMAND_TIMEOUT_MS } from "../src/auth/rate-limiter.ts";
import { signupOwner } from "./support/accounts.ts";
import { expectError } from "./support/security.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

const PER_TOKEN = 4;

/** The API on a redis-server of the test's own, which the test stops. */
async function apiOnOwnRedis(): Promise<{ api: TestApi; redis: RedisServer; [Symbol.asyncDispose](): Promise<void> }> {
  const redis = await startRedisServer();
  const api = await startTestApi({
    REDIS_URL: `redis://127.0.0.1:${redis.port}`,
    HEARTBEAT_RATE_LIMIT_PER_MINUTE: String(PER_TOKEN),
  });
  return {
    api,
    redis,
    async [Symbol.asyncDispose]() {
      await api.close();
      await redis.close();
    },
  };
}

/**
 * Issue #14 point 8: with Redis down, pings were refused with 503 and not stored, so a cron job that
 * does not retry got a false monitor.down. Pings need only PostgreSQL; their limits count in-process.
 */
describe("heartbeat pings while Redis is down", { timeout: 60_000 }, () => {
  it("are answered 200 and stored, still limited per token, and public pages keep answering", async () => {
    await using s = await apiOnOwnRedis();
    const { api } = s;
    const owner = await signupOwner(api);
    const created = await api.request("POST", "/api/v1/monitors", {
      auth: owner.token,
      body: { type: "heartbeat", name: "nightly", interval_seconds: 60 },
    });
    expect(created.status, created.text).toBe(201);
    const page = await api.request("POST", "/api/v1/status-pages", {
      auth: owner.token,
      body: {
        name: "Acme",
        slug: `acme-${created.body.id.slice(-8).toLowerCase()}`,
        published: true,
        sections: [{ name: "Jobs", monitor_ids: [created.body.id] }],
      },
    });
    expect(page.status, page.text).toBe(201);

    await s.redis.stop("SIGKILL");
    // Minute windows: stay inside one, so the per-token count below is not reset halfway.
    if (60_000 - (Date.now() % 60_000) < 5_000) await new Promise((r) => setTimeout(r, 60_000 - (Date.now() % 60_000)));

    const token = created.body.heartbeat_token as string;
    for (let i = 0; i < PER_TOKEN; i++) {
      const res = await api.request("GET", `/api/heartbeat/${token}${i === 0 ? "/start" : ""}`);
      expect(res.status, res.text).toBe(200);
    }
    expectError(await api.request("GET", `/api/heartbeat/${token}`), 429, "rate_limited");
    expect(await api.deps.db.heartbeatPing.count({ where: { monitorId: created.body.id } })).toBe(PER_TOKEN);
    expectError(await api.request("GET", "/api/heartbeat/no-such-token"), 404, "not_found");

    expect((await api.request("GET", `/status/${page.body.slug}`)).status).toBe(200);
  });

  it("are answered within a couple of seconds when Redis stops answering on open connections", async () => {
    await using s = await apiOnOwnRedis();
    const { api } = s;
    const owner = await signupOwner(api);
    const created = await api.request("POST", "/api/v1/monitors", {
      auth: owner.token,
      body: { type: "heartbeat", name: "hourly", interval_seconds: 3600 },
    });
    expect(created.status, created.text).toBe(201);

    // SIGSTOP: the connections stay open and nothing answers, as across a partition.
    s.redis.pause();
    const started = Date.now();
    const res = await api.request("POST", `/api/heartbeat/${created.body.heartbeat_token}`);
    expect(res.status, res.text).toBe(200);
    expect(Date.now() - started).toBeLessThan(LIMIT_COMMAND_TIMEOUT_MS + 1_500);
    expect(await api.deps.db.heartbeatPing.count({ where: { monitorId: created.body.id } })).toBe(1);
    s.redis.resume();
  });
});
