import { createOutboundGuard } from "@upfleet/outbound";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { EXTRACT_VALUE_MAX_CHARS, valueAt } from "./api.ts";
import {
  API_CHECK_LIMITS,
  BODY_LIMIT_BYTES,
  type CheckResult,
  checkResultSchema,
  checkSpecSchema,
  createCheckRunner,
} from "./index.ts";
import { startHttp, type TestServer } from "./test-servers.ts";

const runner = createCheckRunner({ guard: createOutboundGuard({ allowCidrs: ["127.0.0.0/8"] }) });
const strict = createCheckRunner({ guard: createOutboundGuard({ allowCidrs: [] }) });

const TOKEN = "tok-123";
let server: TestServer;
/** About 0.9 MB of JSON: 9,000 items of ~100 bytes. */
const BIG = JSON.stringify({
  data: {
    token: "tok-big",
    items: Array.from({ length: 9_000 }, (_, i) => ({ id: `item_${i}`, note: "x".repeat(80) })),
  },
});
/** Past the bytes a step reads. */
const HUGE = JSON.stringify({ token: "tok-huge", pad: "y".repeat(BODY_LIMIT_BYTES) });
const seen: { path: string; authorization?: string; body: string }[] = [];

beforeAll(async () => {
  server = await startHttp((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      seen.push({ path: url.pathname + url.search, authorization: req.headers.authorization, body });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(value));
      };
      if (url.pathname === "/login") {
        const { user } = JSON.parse(body || "{}") as { user?: string };
        return user === "probe" ? json(200, { data: { access_token: TOKEN, user: { id: 42 } } }) : json(401, {});
      }
      if (url.pathname === "/orders") {
        if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(401, { error: "unauthorized" });
        return json(200, {
          data: { items: [{ id: "ord_1", total: 9.5 }], count: 1 },
          owner: url.searchParams.get("u"),
        });
      }
      if (url.pathname === "/big") return void res.writeHead(200, { "content-type": "application/json" }).end(BIG);
      if (url.pathname === "/huge") return void res.writeHead(200, { "content-type": "application/json" }).end(HUGE);
      if (url.pathname === "/where") return json(200, { host: url.searchParams.get("host") });
      if (url.pathname === "/hang") return; // never answers
      if (url.pathname === "/slow") return void setTimeout(() => json(200, { ok: true }), 80);
      res.writeHead(404).end("not here");
    });
  });
});
afterAll(async () => {
  runner.close();
  strict.close();
  await server.close();
});

const login = (overrides: Record<string, unknown> = {}) => ({
  name: "login",
  method: "POST",
  url: `${server.origin}/login`,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ user: "probe" }),
  assertions: [{ type: "status", value: "200" }],
  extract: { token: "data.access_token", user_id: "data.user.id" },
  ...overrides,
});

function orders(assertions: unknown[] = []) {
  return {
    name: "orders",
    url: `${server.origin}/orders?u={{user_id}}`,
    headers: { authorization: "Bearer {{token}}" },
    assertions,
  };
}

async function check(steps: unknown[], using = runner, timeoutMs = 3_000): Promise<CheckResult> {
  const spec = checkSpecSchema.parse({
    type: "api",
    steps,
    timeoutMs,
  });
  return checkResultSchema.parse(await using.run(spec));
}

describe("api check", () => {
  it("logs in, carries the extracted token to the next step, and is up when every assertion holds", async () => {
    seen.length = 0;
    const result = await check([
      login(),
      orders([
        { type: "status", value: "200-299" },
        { type: "body_contains", value: "ord_1" },
        { type: "json_path", path: "data.items[0].id", value: "ord_1" },
        { type: "json_path", path: "data.count", value: "1" },
        { type: "json_path", path: "owner", value: "42" },
        { type: "response_time", value: "2000" },
      ]),
    ]);
    expect(result).toMatchObject({ status: "up", error: null, httpStatus: 200 });
    expect(result.details.steps).toEqual([
      { name: "login", httpStatus: 200, responseMs: expect.any(Number) },
      { name: "orders", httpStatus: 200, responseMs: expect.any(Number) },
    ]);
    expect(seen.map((s) => s.path)).toEqual(["/login", "/orders?u=42"]);
    expect(seen[1]!.authorization).toBe(`Bearer ${TOKEN}`);
    expect(result.responseMs).toBeGreaterThanOrEqual(
      (result.details.steps as { responseMs: number }[]).reduce((n, s) => n + s.responseMs, 0),
    );
  });

  it.each([
    ["status", { type: "status", value: "201" }, "expected status 201, got 200"],
    ["status list", { type: "status", value: "2xx" }, '"2xx" is not a status list such as "200" or "200-299,301"'],
    ["body_contains", { type: "body_contains", value: "ord_2" }, 'body does not contain "ord_2"'],
    ["json_path value", { type: "json_path", path: "data.count", value: "2" }, '"data.count" is "1", expected "2"'],
    ["json_path missing", { type: "json_path", path: "data.nope", value: "x" }, 'nothing at "data.nope"'],
  ])("is down naming the step and the failing %s assertion", async (_, assertion, message) => {
    const result = await check([login(), orders([assertion])]);
    expect(result).toMatchObject({
      status: "down",
      error: "assertion",
      message: `Step "orders": ${message}`,
      details: { failedStep: "orders", failedAssertion: assertion },
    });
  });

  it("is down on a slow step's response_time assertion", async () => {
    const result = await check([
      login(),
      { name: "slow", url: `${server.origin}/slow`, assertions: [{ type: "response_time", value: "20" }] },
    ]);
    expect(result).toMatchObject({ status: "down", error: "assertion", details: { failedStep: "slow" } });
    expect(result.message).toMatch(/^Step "slow": took \d+ ms, above 20 ms$/);
  });

  it("times out within timeoutMs, the whole sequence counted, naming the step it was in", async () => {
    const started = performance.now();
    const result = await check([login(), { name: "stuck", url: `${server.origin}/hang` }], runner, 400);
    expect(result).toMatchObject({ status: "down", error: "timeout", details: { failedStep: "stuck" } });
    expect(result.message).toMatch(/^Step "stuck": /);
    expect(performance.now() - started).toBeLessThan(400 + 300);
  });

  it("stops at the first failing step: a failed login runs nothing after it", async () => {
    seen.length = 0;
    const result = await check([login({ body: JSON.stringify({ user: "intruder" }) }), orders()]);
    expect(result).toMatchObject({ status: "down", error: "assertion", httpStatus: 401 });
    expect(result.message).toBe('Step "login": expected status 200, got 401');
    expect(seen.map((s) => s.path)).toEqual(["/login"]);
  });

  it("expects 2xx from a step without a status assertion", async () => {
    const result = await check([{ name: "missing", url: `${server.origin}/nowhere`, assertions: [] }]);
    expect(result).toMatchObject({
      status: "down",
      error: "assertion",
      message: 'Step "missing": expected status 200-299, got 404',
    });
  });

  it("is down when a step uses a variable no earlier step extracted", async () => {
    const result = await check([orders()]);
    expect(result).toMatchObject({ status: "down", error: "assertion", details: { failedStep: "orders" } });
    expect(result.message).toContain("{{user_id}} is not set by an earlier step");
  });

  it("is blocked_address for a loopback step unless the allow-list opens it", async () => {
    const result = await check([login()], strict);
    expect(result).toMatchObject({ status: "down", error: "blocked_address", details: { failedStep: "login" } });
  });

  it.each(["db.internal", "intranet", "LOCALHOST."])(
    "is blocked_address for a step whose url is filled with the internal name %s by an earlier step",
    async (host) => {
      const result = await check([
        { name: "where", url: `${server.origin}/where?host=${encodeURIComponent(host)}`, extract: { next: "host" } },
        { name: "next", url: `http://{{next}}:${server.port}/` },
      ]);
      expect(result).toMatchObject({ status: "down", error: "blocked_address", details: { failedStep: "next" } });
      expect(result.message).toMatch(/internal name/);
    },
  );
});

describe("api check limits", () => {
  const bigStep = (overrides: Record<string, unknown> = {}) => ({
    name: "big",
    url: `${server.origin}/big`,
    ...overrides,
  });

  it("parses a big body once for all of a step's extracts and json_path assertions, well within the timeout", async () => {
    const extract = Object.fromEntries(
      Array.from({ length: API_CHECK_LIMITS.extractsPerStep }, (_, i) => [`v${i}`, `data.items.${i * 400}.id`]),
    );
    const assertions = Array.from({ length: API_CHECK_LIMITS.assertionsPerStep }, (_, i) => ({
      type: "json_path",
      path: `data.items[${i * 400}].id`,
      value: `item_${i * 400}`,
    }));
    const parse = vi.spyOn(JSON, "parse");
    try {
      const started = performance.now();
      const result = await check(
        [bigStep({ assertions, extract }), { name: "next", url: `${server.origin}/slow?id={{v19}}` }],
        runner,
        2_000,
      );
      expect(result).toMatchObject({ status: "up", error: null });
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(parse.mock.calls.filter(([text]) => text === BIG)).toHaveLength(1);
    } finally {
      parse.mockRestore();
    }
    expect(seen.at(-1)!.path).toBe("/slow?id=item_7600");
  });

  it("fails the step when an extracted value is longer than the limit", async () => {
    const result = await check([bigStep({ extract: { token: "data.token", everything: "$" } })]);
    expect(result).toMatchObject({
      status: "down",
      error: "assertion",
      details: { failedStep: "big", failedAssertion: { path: "$" } },
    });
    expect(result.message).toBe(
      `Step "big": cannot extract {{everything}}: "$" is ${BIG.length} characters, above ${EXTRACT_VALUE_MAX_CHARS}`,
    );
  });

  it("reads a step's body only up to the limit and says so when its JSON is asked for", async () => {
    const result = await check([{ name: "huge", url: `${server.origin}/huge`, extract: { token: "token" } }]);
    expect(result).toMatchObject({
      status: "down",
      error: "assertion",
      message: `Step "huge": cannot extract {{token}}: the body is over ${BODY_LIMIT_BYTES} bytes, too large to read as JSON`,
      details: { steps: [{ name: "huge", httpStatus: 200, bodyTruncated: true }] },
    });
  });

  it("fails a step whose filled-in template would be too long, before building it", async () => {
    const result = await check([
      bigStep({ extract: { id: "data.items.0.note" } }),
      { name: "flood", url: `${server.origin}/slow`, method: "POST", body: "{{id}}".repeat(20_000) },
    ]);
    expect(result).toMatchObject({ status: "down", error: "assertion", details: { failedStep: "flood" } });
    expect(result.message).toBe(
      `Step "flood": the body is over ${BODY_LIMIT_BYTES} characters once variables are filled in`,
    );
  });

  it.each([
    ["extracts", { extract: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`v${i}`, "data.token"])) }],
    ["assertions", { assertions: Array.from({ length: 21 }, () => ({ type: "status", value: "200" })) }],
    ["headers", { headers: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`x-h${i}`, "1"])) }],
  ])("is not a spec with too many %s in a step", (_, overrides) => {
    expect(checkSpecSchema.safeParse({ type: "api", steps: [bigStep(overrides)], timeoutMs: 1_000 }).success).toBe(
      false,
    );
  });

  it("is not a spec with too many steps", () => {
    const steps = Array.from({ length: API_CHECK_LIMITS.steps + 1 }, () => bigStep());
    expect(checkSpecSchema.safeParse({ type: "api", steps, timeoutMs: 1_000 }).success).toBe(false);
  });
});

describe("valueAt", () => {
  const body = { data: { items: [{ id: "a" }, { id: "b" }], zero: 0, none: null } };
  it.each([
    ["data.items.1.id", "b"],
    ["data.items[0].id", "a"],
    ["$.data.zero", 0],
    ["data.none", null],
    ["data.items.2.id", undefined],
    ["data.toString", undefined],
  ])("reads %s", (path, expected) => {
    expect(valueAt(body, path)).toEqual(expected);
  });
});
