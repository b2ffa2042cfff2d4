import type dns from "node:dns";
import type http from "node:http";
import { createOutboundGuard, type Resolver } from "@upfleet/outbound";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CheckResult, checkResultSchema, checkSpecSchema, createCheckRunner, MAX_REDIRECTS } from "./index.ts";
import { startHttp, type TestServer } from "./test-servers.ts";

let main: TestServer; // 127.0.0.1
let second: TestServer; // 127.0.0.2: reachable, but outside a 127.0.0.1/32 allow-list
let ipv6: TestServer; // ::1

const handler =
  (label: string): http.RequestListener =>
  (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const chain = /^\/chain\/(\d+)$/.exec(url.pathname);
    if (chain) {
      const left = Number(chain[1]);
      if (left === 0) return res.end(`done at ${label}`);
      res.writeHead(302, { location: `/chain/${left - 1}` });
      return res.end();
    }
    if (url.pathname === "/loop") {
      res.writeHead(302, { location: "/loop" });
      return res.end();
    }
    if (url.pathname === "/to") {
      res.writeHead(301, { location: url.searchParams.get("target") ?? "/" });
      return res.end();
    }
    res.end(`hello from ${label}`);
  };

beforeAll(async () => {
  main = await startHttp(handler("main"));
  second = await startHttp(handler("second"), "127.0.0.2");
  ipv6 = await startHttp(handler("ipv6"), "::1");
});
afterAll(async () => {
  await Promise.all([main.close(), second.close(), ipv6.close()]);
});

const wide = createCheckRunner({ guard: createOutboundGuard({ allowCidrs: ["127.0.0.0/8", "::1/128"] }) });
const narrow = createCheckRunner({ guard: createOutboundGuard({ allowCidrs: ["127.0.0.1/32"] }) });

// Names only this resolver knows: proves the HTTP client resolves through the guard's lookup.
const answers: Record<string, dns.LookupAddress[]> = {
  "status.example": [{ address: "127.0.0.1", family: 4 }],
  "rebind.example": [{ address: "127.0.0.2", family: 4 }],
  "metadata.example": [{ address: "169.254.169.254", family: 4 }],
};
const resolver: Resolver = (hostname, _options, callback) => {
  const found = answers[hostname];
  if (found) callback(null, found);
  else callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), []);
};
const named = createCheckRunner({ guard: createOutboundGuard({ allowCidrs: ["127.0.0.1/32"], resolver }) });

afterAll(() => {
  for (const runner of [wide, narrow, named]) runner.close();
});

async function run(
  runner: ReturnType<typeof createCheckRunner>,
  url: string,
  extra: Record<string, unknown> = {},
): Promise<CheckResult> {
  const spec = checkSpecSchema.parse({ type: "http", url, timeoutMs: 5_000, ...extra });
  return checkResultSchema.parse(await runner.run(spec));
}

describe("redirects", () => {
  it("follows a chain to the end", async () => {
    const result = await run(wide, `${main.origin}/chain/3`);
    expect(result).toMatchObject({ status: "up", httpStatus: 200 });
    expect(result.details).toMatchObject({ redirects: 3, url: `${main.origin}/chain/0` });
  });

  it(`follows up to ${MAX_REDIRECTS} redirects and no more`, async () => {
    expect(await run(wide, `${main.origin}/chain/${MAX_REDIRECTS}`)).toMatchObject({ status: "up" });
    expect(await run(wide, `${main.origin}/chain/${MAX_REDIRECTS + 1}`)).toMatchObject({
      status: "down",
      error: "too_many_redirects",
    });
  });

  it("is too_many_redirects on a loop", async () => {
    expect(await run(wide, `${main.origin}/loop`)).toMatchObject({ status: "down", error: "too_many_redirects" });
  });

  it("judges the redirect itself when not following", async () => {
    const result = await run(wide, `${main.origin}/chain/1`, { followRedirects: false });
    expect(result).toMatchObject({ status: "down", error: "status", httpStatus: 302 });
    expect(await run(wide, `${main.origin}/chain/1`, { followRedirects: false, expectedStatus: "302" })).toMatchObject({
      status: "up",
    });
  });
});

describe("every redirect hop goes through the guard", () => {
  it.each([
    ["127.0.0.2", () => `${second.origin}/`],
    ["[::1]", () => `${ipv6.origin}/`],
  ])("a hop to %s is reachable when allowed, blocked_address when not", async (_label, target) => {
    const url = `${main.origin}/to?target=${encodeURIComponent(target())}`;
    expect(await run(wide, url)).toMatchObject({ status: "up", httpStatus: 200 });
    const blocked = await run(narrow, url);
    expect(blocked).toMatchObject({ status: "down", error: "blocked_address", httpStatus: null });
    expect(blocked.details).toMatchObject({ redirects: 1 });
  });

  it("resolves names through the guard's lookup, on the first request and on hops", async () => {
    expect(await run(named, `http://status.example:${main.port}/`)).toMatchObject({ status: "up" });
    const rebind = `http://rebind.example:${second.port}/`;
    expect(
      await run(named, `http://status.example:${main.port}/to?target=${encodeURIComponent(rebind)}`),
    ).toMatchObject({ status: "down", error: "blocked_address" });
    const metadata = await run(named, `http://metadata.example:${main.port}/`);
    expect(metadata).toMatchObject({
      status: "down",
      error: "blocked_address",
      message: "Refusing to connect to metadata.example: it resolves to a non-public address",
    });
    expect(JSON.stringify(metadata)).not.toContain("169.254");
    // A hop to an internal name is refused before it is resolved.
    const inside = await run(
      named,
      `http://status.example:${main.port}/to?target=${encodeURIComponent("http://db.internal/")}`,
    );
    expect(inside).toMatchObject({
      status: "down",
      error: "blocked_address",
      message: expect.stringMatching(/db\.internal: it is an internal name/),
    });
    expect(await run(named, `http://nowhere.example:${main.port}/`)).toMatchObject({ status: "down", error: "dns" });
  });
});

describe("a target the guard does not allow", () => {
  const strict = createCheckRunner({ guard: createOutboundGuard({ allowCidrs: [] }) });
  afterAll(() => strict.close());

  it.each([() => `${main.origin}/`, () => `http://localhost:${main.port}/`, () => `${ipv6.origin}/`])(
    "is blocked_address (%#)",
    async (url) => {
      expect(await run(strict, url())).toMatchObject({ status: "down", error: "blocked_address", responseMs: null });
    },
  );
});
