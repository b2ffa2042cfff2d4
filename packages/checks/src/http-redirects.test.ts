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
    if (url.pathname === "/slow-loop") {
      setTimeout(() => res.writeHead(302, { location: "/slow-loop" }).end(), 150);
      return;
    }
    if (url.pathname === "/to") {
      res.writeHead(Number(url.searchParams.get("code") ?? 301), { location: url.searchParams.get("target") ?? "/" });
      return res.end();
    }
    res.end(`hello from ${label}`);
  };

/** What the servers were sent, in order. */
const seen: { label: string; method?: string; path?: string; body: string; headers: http.IncomingHttpHeaders }[] = [];

const recording = (label: string): http.RequestListener => {
  const answer = handler(label);
  return (req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      seen.push({ label, method: req.method, path: req.url, body, headers: req.headers });
      answer(req, res);
    });
  };
};

beforeAll(async () => {
  main = await startHttp(recording("main"));
  second = await startHttp(recording("second"), "127.0.0.2");
  ipv6 = await startHttp(recording("ipv6"), "::1");
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

describe("redirect rules", () => {
  const post = (code: number, target: string) =>
    run(wide, `${main.origin}/to?code=${code}&target=${encodeURIComponent(target)}`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "payload",
    });

  it("turns a POST into a GET without body on 303", async () => {
    seen.length = 0;
    expect(await post(303, "/landing")).toMatchObject({ status: "up", details: { redirects: 1 } });
    expect(seen.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      { method: "POST", path: expect.stringMatching(/^\/to\?/), body: "payload" },
      { method: "GET", path: "/landing", body: "" },
    ]);
    expect(seen[1]!.headers["content-length"]).toBeUndefined();
  });

  it.each([301, 302, 307, 308])("keeps the method and body on %i", async (code) => {
    seen.length = 0;
    expect(await post(code, "/landing")).toMatchObject({ status: "up" });
    expect(seen[1]).toMatchObject({ method: "POST", path: "/landing", body: "payload" });
  });

  it("sends credentials and cookies on to the same host only", async () => {
    const headers = { authorization: "Bearer secret", cookie: "session=1" };
    const userinfo = main.origin.replace("http://", "http://monitor:s3cret@");
    seen.length = 0;
    await run(wide, `${userinfo}/to?target=/landing`);
    expect(seen[1]!.headers.authorization).toBe(`Basic ${Buffer.from("monitor:s3cret").toString("base64")}`);
    seen.length = 0;
    await run(wide, `${main.origin}/to?target=/landing`, { headers });
    expect(seen[1]!.headers).toMatchObject(headers);
    seen.length = 0;
    await run(wide, `${userinfo}/to?target=${encodeURIComponent(`${second.origin}/landing`)}`, { headers });
    expect(seen[1]).toMatchObject({ label: "second", path: "/landing" });
    expect(seen[1]!.headers.authorization).toBeUndefined();
    expect(seen[1]!.headers.cookie).toBeUndefined();
  });

  it("is down on a redirect to another scheme than http(s)", async () => {
    expect(await run(wide, `${main.origin}/to?target=${encodeURIComponent("ftp://example.com/")}`)).toMatchObject({
      status: "down",
      error: "unknown",
      message: "Unsupported protocol: ftp:",
      details: { code: "ERR_UNSUPPORTED_PROTOCOL", redirects: 1 },
    });
  });

  it("counts the redirects in the check's timeout", async () => {
    const started = performance.now();
    const result = await run(wide, `${main.origin}/slow-loop`, { timeoutMs: 500 });
    expect(result).toMatchObject({ status: "down", error: "timeout", message: "No answer within 500 ms" });
    expect(performance.now() - started).toBeLessThan(500 + 300);
  });
});
