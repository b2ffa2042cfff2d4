import { describe, expect } from "vitest";
import { apiTest } from "./support/fixtures.ts";
import { startTestApi } from "./support/test-api.ts";

const it = apiTest({ TRUST_PROXY: "loopback", AUTH_FAILURES_PER_IP: "2" });

describe("behind a proxy TRUST_PROXY names", () => {
  it("a heartbeat ping's source is the client X-Forwarded-For names", async ({ api, owner }) => {
    const created = await api.request("POST", "/api/v1/monitors", {
      auth: owner.token,
      body: { type: "heartbeat", name: "nightly backup", interval_seconds: 3_600 },
    });
    expect(created.status, created.text).toBe(201);
    const ping = await api.request("GET", `/api/heartbeat/${created.body.heartbeat_token}`, {
      headers: { "x-forwarded-for": "203.0.113.9" },
    });
    expect(ping.status, ping.text).toBe(200);

    // A replica that trusts no proxy records the socket's address and ignores the header.
    const untrusting = await startTestApi({}, { database: api.database, redis: api.redis });
    try {
      await untrusting.request("GET", `/api/heartbeat/${created.body.heartbeat_token}`, {
        headers: { "x-forwarded-for": "203.0.113.10" },
      });
    } finally {
      await untrusting.close();
    }
    const pings = await api.deps.db.heartbeatPing.findMany({
      where: { monitorId: created.body.id },
      orderBy: { id: "asc" },
    });
    expect(pings.map((p) => p.sourceIp)).toEqual(["203.0.113.9", "127.0.0.1"]);
  });

  it("per-IP limits count the forwarded client, so one client's failures do not lock out another", async ({ api }) => {
    const login = (client: string) =>
      api.request("POST", "/api/v1/auth/login", {
        headers: { "x-forwarded-for": client },
        body: { email: `nobody-${client}@example.com`, password: "not the password" },
      });
    expect((await login("203.0.113.1")).status).toBe(401);
    expect((await login("203.0.113.1")).status).toBe(401);
    expect((await login("203.0.113.1")).status).toBe(429);
    expect((await login("203.0.113.2")).status).toBe(401);
  });
});
