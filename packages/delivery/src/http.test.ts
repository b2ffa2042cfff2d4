import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createOutboundGuard } from "@upfleet/outbound";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpPoster, type HttpPoster } from "./http.ts";

let server: Server;
let base: string;
let poster: HttpPoster;
const seen: { method?: string; headers: Record<string, unknown>; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      seen.push({ method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      if (req.url === "/hang") return;
      if (req.url === "/slow-body") {
        res.writeHead(503, { "retry-after": "7" });
        res.write("partial");
        return;
      }
      if (req.url === "/busy") res.writeHead(429, { "retry-after": "30" }).end();
      else res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  poster = createHttpPoster({ guard: createOutboundGuard({ allowCidrs: ["127.0.0.0/8"] }), timeoutMs: 300 });
});

afterAll(async () => {
  poster.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("createHttpPoster", () => {
  it("POSTs the body as is with its length and headers, and reports the status", async () => {
    const body = JSON.stringify({ event: "monitor.down", name: "café" });
    expect(await poster.post(`${base}/ok`, body, { "content-type": "application/json" })).toEqual({
      kind: "response",
      status: 204,
      retryAfter: null,
    });
    expect(seen.at(-1)).toMatchObject({
      method: "POST",
      body,
      headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) },
    });
  });

  it("reports Retry-After with the status", async () => {
    expect(await poster.post(`${base}/busy`, "{}", {})).toEqual({ kind: "response", status: 429, retryAfter: "30" });
  });

  it("times out a receiver that never answers", async () => {
    const started = Date.now();
    expect(await poster.post(`${base}/hang`, "{}", {})).toEqual({
      kind: "error",
      reason: "timeout",
      message: "No answer within 300 ms",
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("keeps the status of an answer whose body the timeout cut short", async () => {
    expect(await poster.post(`${base}/slow-body`, "{}", {})).toEqual({
      kind: "response",
      status: 503,
      retryAfter: "7",
    });
  });

  it("reports a refused connection as a network error", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    expect(await poster.post(`http://127.0.0.1:${port}/`, "{}", {})).toMatchObject({
      kind: "error",
      reason: "network",
      message: expect.stringContaining("ECONNREFUSED"),
    });
  });

  it("refuses an address the SSRF guard blocks, before connecting", async () => {
    const strict = createHttpPoster({ guard: createOutboundGuard({ allowCidrs: [] }) });
    expect(await strict.post(`${base}/ok`, "{}", {})).toMatchObject({
      kind: "error",
      reason: "blocked_address",
      message: expect.stringContaining("127.0.0.1"),
    });
    strict.close();
  });

  it("says a receiver's name resolves to a non-public address without saying which, and refuses internal names", async () => {
    const inside = createHttpPoster({
      guard: createOutboundGuard({
        allowCidrs: [],
        resolver: (_host, _options, callback) => callback(null, [{ address: "10.20.30.40", family: 4 }]),
      }),
    });
    const result = await inside.post("http://hooks.example.com/x", "{}", {});
    expect(result).toEqual({
      kind: "error",
      reason: "blocked_address",
      message: "Refusing to connect to hooks.example.com: it resolves to a non-public address",
    });
    expect(await inside.post("http://hooks.internal/x", "{}", {})).toMatchObject({
      reason: "blocked_address",
      message: expect.stringMatching(/hooks\.internal: it is an internal name/),
    });
    inside.close();
  });
});
