import zlib from "node:zlib";
import { createOutboundGuard } from "@upfleet/outbound";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BODY_LIMIT_BYTES,
  type CheckResult,
  type CheckSpecInput,
  checkResultSchema,
  checkSpecSchema,
  createCheckRunner,
} from "./index.ts";
import { startHttp, type TestServer } from "./test-servers.ts";

const runner = createCheckRunner({ guard: createOutboundGuard({ allowCidrs: ["127.0.0.0/8"] }) });
const PAGE = "<html><body>All systems operational</body></html>";
const encoders: Record<string, (body: Buffer) => Buffer> = {
  gzip: (body) => zlib.gzipSync(body),
  deflate: (body) => zlib.deflateSync(body),
  "deflate-raw": (body) => zlib.deflateRawSync(body),
  br: (body) => zlib.brotliCompressSync(body),
};
// Inflates to 16 times the cap from a few kB on the wire.
const BOMB = zlib.gzipSync(Buffer.alloc(16 * BODY_LIMIT_BYTES, "a"));
let acceptEncoding: string | undefined;
let server: TestServer;

beforeAll(async () => {
  server = await startHttp((req, res) => {
    acceptEncoding = req.headers["accept-encoding"];
    const url = new URL(req.url ?? "/", "http://x");
    const encoding = url.searchParams.get("encoding");
    if (url.pathname === "/bomb") {
      res.writeHead(200, { "content-encoding": "gzip" });
      return res.end(BOMB);
    }
    if (url.pathname === "/empty") {
      res.writeHead(200, { "content-encoding": encoding ?? "gzip" });
      return res.end();
    }
    if (url.pathname === "/corrupt") {
      res.writeHead(200, { "content-encoding": "gzip" });
      return res.end("not gzip at all");
    }
    if (url.pathname === "/cut") {
      // Promises more than it sends, then hangs up mid-body.
      res.writeHead(200, { "content-length": "1000" });
      res.write("partial");
      return setTimeout(() => res.socket?.destroy(), 50);
    }
    if (url.pathname === "/big") {
      res.writeHead(200);
      return res.end("x".repeat(2 * BODY_LIMIT_BYTES));
    }
    const encode = encoding ? encoders[encoding] : undefined;
    res.writeHead(200, encode ? { "content-encoding": encoding!.replace("-raw", "") } : {});
    res.end(encode ? encode(Buffer.from(PAGE)) : PAGE);
  });
});
afterAll(async () => {
  runner.close();
  await server.close();
});

async function check(path: string, extra: Partial<CheckSpecInput> = {}): Promise<CheckResult> {
  const spec = checkSpecSchema.parse({ type: "http", url: `${server.origin}${path}`, timeoutMs: 5_000, ...extra });
  return checkResultSchema.parse(await runner.run(spec));
}

describe("http check response bodies", () => {
  it("asks for compressed bodies", async () => {
    await check("/");
    expect(acceptEncoding).toBe("gzip, deflate, br");
  });

  it.each(Object.keys(encoders))(
    "searches a %s body decompressed, counting its decompressed bytes",
    async (encoding) => {
      const result = await check(`/?encoding=${encoding}`, { keyword: "operational" });
      expect(result).toMatchObject({ status: "up", httpStatus: 200 });
      expect(result.details).toMatchObject({ bodyBytes: PAGE.length });
    },
  );

  it.each(["gzip", "br"])("is up on an empty %s body", async (encoding) => {
    const result = await check(`/empty?encoding=${encoding}`);
    expect(result).toMatchObject({ status: "up", httpStatus: 200 });
    expect(result.details).toMatchObject({ bodyBytes: 0 });
  });

  it("inflates a compressed bomb only up to BODY_LIMIT_BYTES", async () => {
    const result = await check("/bomb", { keyword: "b" });
    expect(result).toMatchObject({ status: "down", error: "keyword" });
    expect(result.details).toMatchObject({ bodyBytes: BODY_LIMIT_BYTES, bodyTruncated: true });
  });

  it("caps the body a check without keyword reads too", async () => {
    const result = await check("/big");
    expect(result).toMatchObject({ status: "up", httpStatus: 200 });
    expect(result.details).toMatchObject({ bodyBytes: BODY_LIMIT_BYTES, bodyTruncated: true });
  });

  it("is down when the body does not decompress", async () => {
    const result = await check("/corrupt");
    expect(result).toMatchObject({ status: "down", httpStatus: 200, details: { code: "Z_DATA_ERROR" } });
  });

  it("is connection_reset when the server hangs up mid-body", async () => {
    expect(await check("/cut")).toMatchObject({
      status: "down",
      error: "connection_reset",
      message: "The server aborted pending request",
      httpStatus: 200,
    });
  });

  it("reports a reused connection with its first-byte phase only", async () => {
    await check("/");
    const result = await check("/");
    expect(result.details).toMatchObject({ reusedConnection: true });
    expect(Object.keys(result.timings).sort()).toEqual(["firstByte", "total"]);
  });
});
