import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { Registry } from "prom-client";
import { describe, expect } from "vitest";
import { createApp } from "../src/app.ts";
import { apiTest } from "./support/fixtures.ts";
import { detailPaths, expectError } from "./support/security.ts";
import { newHeartbeat } from "./support/tenants.ts";

/** The ping fast path (routes/heartbeats/fast-path.ts): what it answers besides the pings themselves. */
const PER_TOKEN = 4;

/** `heartbeat` creates an hourly heartbeat monitor of the owner's. */
const it = apiTest({ HEARTBEAT_RATE_LIMIT_PER_MINUTE: String(PER_TOKEN) }).extend<{
  heartbeat: () => Promise<{ id: string; token: string }>;
}>({
  heartbeat: async ({ api, owner }, use) => use(() => newHeartbeat(api, owner)),
});
describe("the ping fast path", () => {
  it("echoes a sane X-Request-Id and mints a req_ one otherwise, on answers and errors alike", async ({
    heartbeat,
    ping,
  }) => {
    const { token } = await heartbeat();
    const echoed = await ping(token, { headers: { "x-request-id": "cron-42.a:b" } });
    expect(echoed.status).toBe(200);
    expect(echoed.headers.get("x-request-id")).toBe("cron-42.a:b");
    expect(echoed.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const minted = await ping(token, { headers: { "x-request-id": "no spaces allowed" } });
    expect(minted.headers.get("x-request-id")).toMatch(/^req_/);
    const refused = await ping("A".repeat(32), { headers: { "x-request-id": "trace-1" } });
    expectError(refused, 404, "not_found");
    expect(refused.body.request_id).toBe("trace-1");
    expectError(await ping("A".repeat(32)), 404, "not_found");
  });

  it("answers paths under /api/heartbeat/ that no route has with 404 in the error shape", async ({
    heartbeat,
    ping,
  }) => {
    const { token } = await heartbeat();
    for (const path of [`${token}/start/extra`, `${token}/%ZZ`, ""]) expectError(await ping(path), 404, "not_found");
  });

  it("answers 405 with Allow after draining a body, keeping the connection usable", async ({
    api,
    heartbeat,
    ping,
  }) => {
    const { id, token } = await heartbeat();
    const res = await ping(token, { method: "PUT", rawBody: "x".repeat(200_000), contentType: "text/plain" });
    expectError(res, 405, "method_not_allowed");
    expect(res.headers.get("allow")).toBe("GET, HEAD, POST");
    expect((await ping(token, { method: "POST", rawBody: "after", contentType: "text/plain" })).status).toBe(200);
    expect((await api.deps.db.heartbeatPing.findMany({ where: { monitorId: id } })).map((p) => p.body)).toEqual([
      "after",
    ]);
  });

  it("answers 429 past a token's limit with Retry-After and the limit headers, one Redis count per limit", async ({
    heartbeat,
    ping,
  }) => {
    const { token } = await heartbeat();
    for (let i = 0; i < PER_TOKEN; i++) expect((await ping(token)).status).toBe(200);
    const refused = await ping(`${token}/fail`);
    expectError(refused, 429, "rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get("x-ratelimit-limit")).toBe(String(PER_TOKEN));
    expect(refused.headers.get("x-ratelimit-remaining")).toBe("0");
  });

  it("counts what it answers by status in the API's metrics", async ({ api, heartbeat, ping }) => {
    const { token } = await heartbeat();
    const count = async (status: string) =>
      (await api.deps.metrics.getSingleMetric("upfleet_heartbeat_requests_total")!.get()).values.find(
        (v) => v.labels.status === status,
      )?.value ?? 0;
    const [ok, notFound] = [await count("200"), await count("404")];
    await ping(token);
    await ping("B".repeat(32));
    expect([await count("200"), await count("404")]).toEqual([ok + 1, notFound + 1]);
  });

  it("matches paths as Express routes would: literal segments in any case, one trailing slash", async ({
    api,
    heartbeat,
    ping,
  }) => {
    const { id, token } = await heartbeat();
    for (const path of [`${token}/`, `${token}/START`, `${token}/Fail/`]) expect((await ping(path)).status).toBe(200);
    const upper = await api.request("HEAD", `/API/HEARTBEAT/${token}/0`);
    expect(upper.status).toBe(200);
    const kinds = (await api.deps.db.heartbeatPing.findMany({ where: { monitorId: id }, orderBy: { id: "asc" } })).map(
      (p) => [p.kind, p.exitCode],
    );
    expect(kinds).toEqual([
      ["success", null],
      ["start", null],
      ["fail", null],
      ["success", 0],
    ]);
  });

  it("takes /api/heartbeat itself too: 405 for an odd method, else 404 in the error shape", async ({ api }) => {
    const odd = await api.request("PUT", "/api/heartbeat?x=1");
    expectError(odd, 405, "method_not_allowed");
    expect(odd.headers.get("allow")).toBe("GET, HEAD, POST");
    expectError(
      await api.request("POST", "/api/heartbeat", { rawBody: "log", contentType: "text/plain" }),
      404,
      "not_found",
    );
  });

  it("is the only server of pings: Express alone answers a real ping URL with its 404 and records nothing", async ({
    api,
    owner,
    heartbeat,
  }) => {
    const { id, token } = await heartbeat();
    const server = createApp({ ...api.deps, metrics: new Registry() }).listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/heartbeat/${token}`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: string }).error).toBe("not_found");
    } finally {
      server.close();
    }
    const pings = await api.request("GET", `/api/v1/monitors/${id}/pings`, { auth: owner.token });
    expect(pings.status, pings.text).toBe(200);
    expect(pings.body.data).toEqual([]);
  });

  it("refuses a repeated rid with 400 naming rid", async ({ heartbeat, ping }) => {
    const { token } = await heartbeat();
    const res = await ping(`${token}?rid=a&rid=b`);
    expectError(res, 400, "validation_error");
    expect(detailPaths(res)).toEqual(["rid"]);
  });
});
