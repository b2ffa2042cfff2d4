import type http from "node:http";
import { createOutboundGuard } from "@upfleet/outbound";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BODY_LIMIT_BYTES,
  type CheckResult,
  type CheckSpecInput,
  checkResultSchema,
  checkSpecSchema,
  createCheckRunner,
  DEFAULT_USER_AGENT,
} from "./index.ts";
import { closedPort, startHttp, startTcp, type TestServer } from "./test-servers.ts";

// Loopback is opened through the guard's allow-list, exactly as OUTBOUND_ALLOW_CIDRS does in tests.
const runner = createCheckRunner({ guard: createOutboundGuard({ allowCidrs: ["127.0.0.0/8", "::1/128"] }) });

let server: TestServer;
const received: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = await startHttp((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body });
      const url = new URL(req.url ?? "/", "http://x");
      const status = Number(url.searchParams.get("status") ?? 200);
      const delay = Number(url.searchParams.get("delay") ?? 0);
      setTimeout(() => {
        if (url.pathname === "/big") {
          res.writeHead(200, { "content-type": "text/plain" });
          res.end(`${"x".repeat(3 * BODY_LIMIT_BYTES)}NEEDLE`);
        } else if (url.pathname === "/hang") {
          // Never answers.
        } else if (url.pathname === "/hang-body") {
          res.writeHead(200);
          res.write("partial");
        } else {
          res.writeHead(status, { "content-type": "text/html" });
          res.end(req.method === "HEAD" ? undefined : "<html><body>All systems operational</body></html>");
        }
      }, delay);
    });
  });
});
afterAll(async () => {
  runner.close();
  await server.close();
});

async function check(input: Partial<CheckSpecInput> & { path?: string }): Promise<CheckResult> {
  const { path = "/", ...rest } = input;
  const spec = checkSpecSchema.parse({ type: "http", url: `${server.origin}${path}`, timeoutMs: 5_000, ...rest });
  const result = await runner.run(spec);
  // Results cross the `results` queue: whatever an executor returns must satisfy the schema.
  return checkResultSchema.parse(result);
}

describe("http check", () => {
  it("is up on 200, with timings and the address connected to", async () => {
    const result = await check({});
    expect(result).toMatchObject({ status: "up", httpStatus: 200, error: null, message: null });
    expect(result.responseMs).toBeGreaterThanOrEqual(0);
    expect(result.timings.total).toBeGreaterThanOrEqual(0);
    expect(result.timings.firstByte).toBeGreaterThanOrEqual(0);
    expect(result.details).toMatchObject({ ip: "127.0.0.1", redirects: 0 });
  });

  it("keeps credentials in the URL out of the result", async () => {
    const url = server.origin.replace("http://", "http://monitor:s3cret@");
    const result = await runner.run(checkSpecSchema.parse({ type: "http", url: `${url}/`, timeoutMs: 5_000 }));
    expect(result.status).toBe("up");
    expect(JSON.stringify(result)).not.toContain("s3cret");
  });

  it("measures dns and connect on a fresh connection", async () => {
    const fresh = createCheckRunner({ guard: createOutboundGuard({ allowCidrs: ["127.0.0.0/8"] }) });
    try {
      const spec = checkSpecSchema.parse({ type: "http", url: `${server.origin}/`, timeoutMs: 5_000 });
      const { timings } = await fresh.run(spec);
      expect(timings.dns).toBeGreaterThanOrEqual(0);
      expect(timings.connect).toBeGreaterThanOrEqual(0);
      expect(timings.firstByte).toBeGreaterThanOrEqual(0);
    } finally {
      fresh.close();
    }
  });

  it("is down with error status on 500", async () => {
    expect(await check({ path: "/?status=500" })).toMatchObject({
      status: "down",
      httpStatus: 500,
      error: "status",
      message: "Expected status 200-299, got 500",
    });
  });

  it("is up on 500 when 500 is expected", async () => {
    expect(await check({ path: "/?status=500", expectedStatus: "500" })).toMatchObject({
      status: "up",
      httpStatus: 500,
    });
    expect(await check({ path: "/?status=418", expectedStatus: "200-299,418" })).toMatchObject({ status: "up" });
  });

  it.each([
    ["operational", false, "up", null],
    ["outage", false, "down", "keyword"],
    ["outage", true, "up", null],
    ["operational", true, "down", "keyword"],
  ] as const)("keyword %j (negate %s) → %s", async (keyword, keywordNegate, status, error) => {
    expect(await check({ keyword, keywordNegate })).toMatchObject({ status, error, httpStatus: 200 });
  });

  it("reads at most BODY_LIMIT_BYTES of the body for the keyword", async () => {
    const result = await check({ path: "/big", keyword: "NEEDLE" });
    expect(result).toMatchObject({ status: "down", error: "keyword" });
    expect(result.details).toMatchObject({ bodyBytes: BODY_LIMIT_BYTES, bodyTruncated: true });
  });

  it("is degraded when up but slower than the threshold", async () => {
    const result = await check({ path: "/?delay=300", responseTimeThresholdMs: 100 });
    expect(result).toMatchObject({ status: "degraded", error: null, httpStatus: 200 });
    expect(result.responseMs).toBeGreaterThanOrEqual(300);
    expect(await check({ path: "/?delay=50", responseTimeThresholdMs: 5_000 })).toMatchObject({ status: "up" });
  });

  it.each(["/hang", "/hang-body"])("times out on %s within timeoutMs", async (path) => {
    const started = performance.now();
    const result = await check({ path, timeoutMs: 500 });
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ status: "down", error: "timeout", message: "No answer within 500 ms" });
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(500 + 300);
  });

  it("is connection_refused on a closed port", async () => {
    const port = await closedPort();
    const spec = checkSpecSchema.parse({ type: "http", url: `http://127.0.0.1:${port}/`, timeoutMs: 2_000 });
    expect(await runner.run(spec)).toMatchObject({ status: "down", error: "connection_refused", httpStatus: null });
  });

  it("sends method, headers and body", async () => {
    received.length = 0;
    const result = await check({
      path: "/submit",
      method: "POST",
      headers: { "content-type": "application/json", "x-probe": "upfleet" },
      body: '{"ping":true}',
    });
    expect(result.status).toBe("up");
    expect(received[0]).toMatchObject({
      method: "POST",
      url: "/submit",
      body: '{"ping":true}',
      headers: { "content-type": "application/json", "x-probe": "upfleet", "user-agent": DEFAULT_USER_AGENT },
    });
  });

  it("sends a GET body when the monitor has one", async () => {
    received.length = 0;
    expect(await check({ body: "q=1" })).toMatchObject({ status: "up" });
    expect(received[0]).toMatchObject({ method: "GET", body: "q=1" });
  });

  it.each(["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"] as const)(
    "%s without a body completes",
    async (method) => {
      received.length = 0;
      expect(await check({ method })).toMatchObject({ status: "up", httpStatus: 200 });
      expect(received[0]).toMatchObject({ method, body: "" });
    },
  );

  it("lets the monitor's headers replace the User-Agent", async () => {
    received.length = 0;
    await check({ headers: { "User-Agent": "custom/1" } });
    expect(received[0]?.headers["user-agent"]).toBe("custom/1");
  });

  it("reuses keep-alive connections across checks", async () => {
    const before = server.connections();
    for (let i = 0; i < 3; i++) expect((await check({})).status).toBe("up");
    expect(server.connections() - before).toBeLessThanOrEqual(1);
  });

  it("keeps every socket of a burst to one host for the next burst, past 64", async () => {
    // Whole-second ticks send a host's checks at once: all of a burst's connections must stay pooled.
    const burst = () => Promise.all(Array.from({ length: 100 }, () => check({ path: "/?delay=100" })));
    const before = server.connections();
    expect((await burst()).every((r) => r.status === "up")).toBe(true);
    const opened = server.connections() - before;
    expect(opened).toBeGreaterThan(64);
    expect((await burst()).every((r) => r.status === "up")).toBe(true);
    expect(server.connections() - before).toBe(opened);
  });

  it("is down with error unknown when the caller cancels", async () => {
    const spec = checkSpecSchema.parse({ type: "http", url: `${server.origin}/hang`, timeoutMs: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect(await runner.run(spec, controller.signal)).toMatchObject({ status: "down", error: "unknown" });
  });
});

describe("http check against misbehaving servers", () => {
  let garbage: TestServer;
  let reset: TestServer;
  beforeAll(async () => {
    garbage = await startTcp((socket) => socket.once("data", () => socket.end("NOT HTTP AT ALL\r\n\r\n")));
    reset = await startTcp((socket) => socket.once("data", () => socket.resetAndDestroy()));
  });
  afterAll(async () => {
    await garbage.close();
    await reset.close();
  });

  it("is invalid_response when the answer is not HTTP", async () => {
    const spec = checkSpecSchema.parse({ type: "http", url: `http://127.0.0.1:${garbage.port}/`, timeoutMs: 2_000 });
    expect(await runner.run(spec)).toMatchObject({ status: "down", error: "invalid_response" });
  });

  it("is connection_reset when the server resets the connection", async () => {
    const spec = checkSpecSchema.parse({ type: "http", url: `http://127.0.0.1:${reset.port}/`, timeoutMs: 2_000 });
    expect(await runner.run(spec)).toMatchObject({ status: "down", error: "connection_reset" });
  });
});
