import { once } from "node:events";
import { request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Registry } from "prom-client";
import { describe, expect } from "vitest";
import { createApp } from "../src/app.ts";
import { createKey, signupOwner } from "./support/accounts.ts";
import { apiTest } from "./support/fixtures.ts";
import { startTestApi, type TestApi, type TestResponse } from "./support/test-api.ts";

/** A configured key: without one, a process generates its development key in the database at start. */
const CONFIGURED_KEY = "k1:BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=";

const MIB = 1024 * 1024;
const CLOSED_PORT = 1;

/** Row counts of every table: an error must leave them exactly as they were. */
async function snapshot(api: TestApi): Promise<Record<string, number>> {
  const [row] = await api.deps.db.$queryRaw<Record<string, bigint>[]>`
    SELECT (SELECT count(*) FROM organizations) AS organizations, (SELECT count(*) FROM users) AS users,
           (SELECT count(*) FROM api_keys) AS api_keys, (SELECT count(*) FROM settings) AS settings`;
  return Object.fromEntries(Object.entries(row ?? {}).map(([table, count]) => [table, Number(count)]));
}

/**
 * `ownerKey`, an API key of the owner's; `expectError` checks our error shape, nothing more (no stack,
 * no SQL, the request id of the response header), and that the row counts are as the test found them.
 */
const it = apiTest({ OPEN_SIGNUP: "true" }).extend<{
  ownerKey: { id: string; raw: string };
  expectError: (res: TestResponse, status: number, code: string) => Promise<void>;
}>({
  ownerKey: [async ({ api, owner }, use) => use(await createKey(api, owner)), { scope: "file" }],
  expectError: async ({ api }, use) => {
    const before = await snapshot(api);
    await use(async (res, status, code) => {
      expect(res.status, res.text).toBe(status);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      const keys = status === 400 ? ["details", "error", "message", "request_id"] : ["error", "message", "request_id"];
      expect(Object.keys(res.body).sort()).toEqual(keys);
      expect(res.body.error).toBe(code);
      expect(res.body.message).toEqual(expect.any(String));
      expect(res.body.request_id).toBe(res.headers.get("x-request-id"));
      if (status === 400) {
        expect(res.body.details.length).toBeGreaterThan(0);
        for (const detail of res.body.details)
          expect(detail).toEqual({ path: expect.any(String), message: expect.any(String) });
      }
      expect(res.text).not.toMatch(/\n\s+at |\.ts:\d+|node_modules|SELECT|INSERT|prisma|postgres/i);
      expect(await snapshot(api)).toEqual(before);
    });
  },
});
/** A raw node:http request, for what fetch will not send (a chunked body with no Content-Length). */
function rawRequest(
  url: string,
  options: { method: string; path: string; headers: Record<string, string>; chunks: Buffer[] },
): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${options.path}`, { method: options.method, headers: options.headers }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (chunk: Buffer) => parts.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(parts).toString("utf8");
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers))
          if (typeof value === "string") headers.set(name, value);
        resolve({ status: res.statusCode ?? 0, headers, body: JSON.parse(text), text });
      });
    });
    // The server answers 413 mid-upload and drains the rest; a reset after the answer is fine.
    req.on("error", reject);
    (async () => {
      for (const chunk of options.chunks) if (!req.write(chunk)) await once(req, "drain");
      req.end();
    })().catch(reject);
  });
}

async function listen(app: ReturnType<typeof createApp>): Promise<{ url: string; server: Server }> {
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe("request bodies", () => {
  it("answers malformed JSON with 400 validation_error", async ({ api, owner, expectError }) => {
    const res = await api.request("POST", "/api/v1/keys", { auth: owner.token, rawBody: '{"name": "ci",' });
    await expectError(res, 400, "validation_error");
    expect(res.body.details[0].path).toBe("(body)");
  });

  it.for([
    ["text/plain", "name=ci"],
    ["application/x-www-form-urlencoded", "name=ci"],
  ])("answers a %s body with 415", async ([contentType, rawBody], { api, owner, expectError }) => {
    const res = await api.request("POST", "/api/v1/keys", { auth: owner.token, rawBody, contentType });
    await expectError(res, 415, "unsupported_media_type");
  });

  it("answers a body over 1 MiB with a Content-Length with 413", async ({ api, owner, expectError }) => {
    const rawBody = JSON.stringify({ name: "x".repeat(MIB) });
    const res = await api.request("POST", "/api/v1/keys", { auth: owner.token, rawBody });
    await expectError(res, 413, "payload_too_large");
  });

  it("answers a chunked body over 1 MiB (no Content-Length) with 413", async ({ api, owner, expectError }) => {
    const chunks = [Buffer.from('{"name":"'), ...Array.from({ length: 24 }, () => Buffer.alloc(64 * 1024, "x"))];
    const res = await rawRequest(api.url, {
      method: "POST",
      path: "/api/v1/keys",
      headers: { "content-type": "application/json", authorization: `Bearer ${owner.token}` },
      chunks: [...chunks, Buffer.from('"}')],
    });
    await expectError(res, 413, "payload_too_large");
  });

  it("answers bytes that are not UTF-8 with 400", async ({ api, owner, expectError }) => {
    const rawBody = Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    const res = await api.request("POST", "/api/v1/keys", { auth: owner.token, rawBody });
    await expectError(res, 400, "validation_error");
  });

  it("answers a NUL character (which PostgreSQL cannot store) with 400 naming its field, and stores nothing", async ({
    api,
    owner,
    expectError,
  }) => {
    const monitors = () => api.deps.db.monitor.count();
    const before = await monitors();
    const res = await api.request("POST", "/api/v1/monitors", {
      auth: owner.token,
      body: { name: "nightly\u0000job", type: "heartbeat", interval_seconds: 3_600, tags: ["ok", "b\u0000d"] },
    });
    await expectError(res, 400, "validation_error");
    expect(res.body.details.map((d: { path: string }) => d.path).sort()).toEqual(["name", "tags.1"]);
    expect(await monitors()).toBe(before);
    const query = await api.request("GET", "/api/v1/monitors?tag=a%00b", { auth: owner.token });
    await expectError(query, 400, "validation_error");
    expect(query.body.details).toEqual([{ path: "tag", message: expect.any(String) }]);
    await expectError(await api.request("GET", "/api/v1/monitors/mon_%00", { auth: owner.token }), 404, "not_found");
  });

  it("answers an unpaired UTF-16 surrogate (valid JSON, no character) with 400 naming its field", async ({
    api,
    owner,
    expectError,
  }) => {
    const before = await api.deps.db.monitor.count();
    const res = await api.request("POST", "/api/v1/monitors", {
      auth: owner.token,
      // Raw: JSON.stringify would escape it the same way; an emoji's surrogate pair stays fine.
      rawBody: '{"name": "job \\ud83d\\ude00", "type": "heartbeat", "interval_seconds": 3600, "tags": ["a\\ud800"]}',
    });
    await expectError(res, 400, "validation_error");
    expect(res.body.details).toEqual([{ path: "tags.0", message: expect.any(String) }]);
    expect(await api.deps.db.monitor.count()).toBe(before);
  });

  it("rejects the same malformed bodies on a public route, where valid input would create an account", async ({
    api,
    expectError,
  }) => {
    const res = await api.request("POST", "/api/v1/auth/signup", { rawBody: '{"email": ' });
    await expectError(res, 400, "validation_error");
  });
});

describe("routes and queries", () => {
  it("answers an unknown route with 404 not_found", async ({ api, owner, expectError }) => {
    await expectError(await api.request("GET", "/api/v1/nope", { auth: owner.token }), 404, "not_found");
    await expectError(await api.request("DELETE", "/api/v1/account", { auth: owner.token }), 404, "not_found");
  });

  it("answers an unknown query parameter with 400, naming it", async ({ api, owner, expectError }) => {
    const res = await api.request("GET", "/api/v1/keys?limit=5&colour=blue", { auth: owner.token });
    await expectError(res, 400, "validation_error");
    expect(res.body.details).toEqual([{ path: "colour", message: expect.any(String) }]);
    const none = await api.request("GET", "/api/v1/account?verbose=1", { auth: owner.token });
    await expectError(none, 400, "validation_error");
  });
});

describe("failures", () => {
  it("answers an unexpected exception with 500 internal_error and no stack or SQL", async ({
    api,
    owner,
    expectError,
  }) => {
    const planLimits = () => {
      throw new Error('boom: SELECT * FROM "api_keys" failed\n    at planLimits (plans.ts:1:1)');
    };
    // A dependency that throws a plain Error: the real route path into the one error handler.
    const { url, server } = await listen(createApp({ ...api.deps, metrics: new Registry(), planLimits }));
    try {
      const res = await fetch(`${url}/api/v1/keys`, {
        method: "POST",
        headers: { authorization: `Bearer ${owner.token}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "never created" }),
      });
      const text = await res.text();
      await expectError(
        { status: res.status, headers: res.headers, body: JSON.parse(text), text },
        500,
        "internal_error",
      );
      expect(text).not.toContain("boom");
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("answers 503 unavailable while Redis is down (the rate limiter fails first)", async ({
    api,
    owner,
    ownerKey,
    expectError,
  }) => {
    const down = await startTestApi(
      { REDIS_URL: `redis://127.0.0.1:${CLOSED_PORT}` },
      { database: api.database, redis: api.redis },
    );
    try {
      const res = await down.request("POST", "/api/v1/keys", { auth: ownerKey.raw, body: { name: "never created" } });
      await expectError(res, 503, "unavailable");
      await expectError(await down.request("GET", "/api/v1/account", { auth: owner.token }), 503, "unavailable");
    } finally {
      await down.close();
    }
  });

  it("answers 503 unavailable while PostgreSQL is unreachable", async ({ api, owner, expectError }) => {
    const down = await startTestApi(
      { DATABASE_URL: `postgresql://postgres@127.0.0.1:${CLOSED_PORT}/upfleet`, ENCRYPTION_KEY: CONFIGURED_KEY },
      { database: api.database, redis: api.redis },
    );
    try {
      const res = await down.request("POST", "/api/v1/keys", { auth: owner.token, body: { name: "never created" } });
      await expectError(res, 503, "unavailable");
      const signup = { email: "nobody@example.com", password: "long enough password", organization_name: "x" };
      await expectError(await down.request("POST", "/api/v1/auth/signup", { body: signup }), 503, "unavailable");
    } finally {
      await down.close();
    }
  });

  it("answers 503 unavailable when its database has been dropped under it", async () => {
    const own = await startTestApi();
    try {
      const user = await signupOwner(own);
      await own.database.drop();
      const res = await own.request("GET", "/api/v1/account", { auth: user.token });
      expect(res.status, res.text).toBe(503);
      expect(res.body).toEqual({ error: "unavailable", message: expect.any(String), request_id: expect.any(String) });
      expect(res.text).not.toMatch(/SELECT|prisma|does not exist/i);
    } finally {
      await own.close();
    }
  });
});
