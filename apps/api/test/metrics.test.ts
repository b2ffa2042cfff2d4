import { promtoolProblems } from "@upfleet/testing";
import { describe, expect } from "vitest";
import { apiTest } from "./support/fixtures.ts";

const TOKEN = "metrics-token-0123456789";

const it = apiTest({ METRICS_TOKEN: TOKEN });

describe("/metrics on the public port with METRICS_TOKEN", () => {
  it("/metrics serves Prometheus text with request latency and process metrics", async ({ api }) => {
    expect((await api.request("GET", "/healthz")).status).toBe(200);
    const res = await api.request("GET", "/metrics", { auth: TOKEN });
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
    expect((await promtoolProblems(res.text)) ?? []).toEqual([]);
  });

  it("labels latency by route template, never by raw path", async ({ api }) => {
    await api.request("GET", "/api/v1/keys/key_01234567890123456789012345");
    await api.request("GET", "/api/v1/no-such-route");
    const { text } = await api.request("GET", "/metrics", { auth: TOKEN });
    expect(text).not.toContain("key_0123");
    expect(text).not.toContain("no-such-route");
    expect(text).toMatch(/route="unmatched",status="404"/);
  });

  it("is refused without the token, or with another one", async ({ api }) => {
    for (const auth of [undefined, "metrics-token-wrong-wrong", `${TOKEN}x`]) {
      const res = await api.request("GET", "/metrics", auth === undefined ? {} : { auth });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe("unauthorized");
      expect(res.text).not.toContain("process_cpu");
    }
  });
});
