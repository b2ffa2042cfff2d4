import { describe, expect } from "vitest";
import { test } from "./support/fixtures.ts";
import type { TestApi, TestResponse } from "./support/test-api.ts";

/** Issue #11's hostile requests that reached a hang or a 500: each answered as a 400, at once, changing nothing. */

async function counts(api: TestApi): Promise<Record<string, number>> {
  const [row] = await api.deps.db.$queryRaw<Record<string, bigint>[]>`
    SELECT (SELECT count(*) FROM monitors) AS monitors, (SELECT count(*) FROM maintenance_windows) AS windows,
           (SELECT count(*) FROM exports) AS exports, (SELECT count(*) FROM users) AS users`;
  return Object.fromEntries(Object.entries(row ?? {}).map(([table, count]) => [table, Number(count)]));
}

/**
 * An http monitor of the owner's, and `expectRefused`, which checks a 400 naming `path` that left the
 * row counts as they were when the test started (so `monitorId`, set up first, is among them).
 */
const it = test.extend<{
  monitorId: string;
  expectRefused: (res: TestResponse, path?: string) => Promise<void>;
}>({
  monitorId: [
    async ({ api, owner }, use) => {
      const created = await api.request("POST", "/api/v1/monitors", {
        auth: owner.token,
        body: { type: "http", name: "Site", url: "https://example.com", interval_seconds: 60 },
      });
      await use(created.body.id);
    },
    { scope: "file" },
  ],
  // Named, so the monitor exists before the counts are taken, whatever order the test names them in.
  expectRefused: async ({ api, monitorId: _ }, use) => {
    const before = await counts(api);
    await use(async (res, path) => {
      expect(res.status, res.text).toBe(400);
      expect(res.body.error).toBe("validation_error");
      if (path) expect(res.body.details.map((d: { path: string }) => d.path)).toContain(path);
      expect(await counts(api)).toEqual(before);
    });
  },
});

/** Times one request: none may take a second, whatever it sends. */
async function timed(request: () => Promise<TestResponse>): Promise<TestResponse> {
  const started = performance.now();
  const res = await request();
  expect(performance.now() - started).toBeLessThan(1_000);
  return res;
}

describe("instants past year 9999 once in UTC", () => {
  const window = (monitorId: string, repeat: string | null) => ({
    name: "Year ten thousand",
    monitor_ids: [monitorId],
    starts_at: "9999-12-31T20:00:00-14:00",
    ends_at: "9999-12-31T23:00:00-14:00",
    repeat,
  });

  it("are a 400 within a second for a weekly maintenance window (they hung the process at 100 % CPU)", async ({
    api,
    owner,
    monitorId,
    expectRefused,
  }) => {
    const res = await timed(() =>
      api.request("POST", "/api/v1/maintenance-windows", { auth: owner.token, body: window(monitorId, "weekly") }),
    );
    await expectRefused(res, "starts_at");
    expect(res.body.details.map((d: { path: string }) => d.path)).toContain("ends_at");
  });

  it("are a 400 for a one-off window and an export (they were a 500)", async ({
    api,
    owner,
    monitorId,
    expectRefused,
  }) => {
    await expectRefused(
      await api.request("POST", "/api/v1/maintenance-windows", { auth: owner.token, body: window(monitorId, null) }),
      "starts_at",
    );
    await expectRefused(
      await api.request("POST", "/api/v1/exports", {
        auth: owner.token,
        body: { type: "checks", format: "csv", from: "9999-12-30T00:00:00Z", to: "9999-12-31T20:00:00-14:00" },
      }),
      "to",
    );
  });

  it("and before 1970 are a 400 in queries and key expiries", async ({ api, owner, monitorId, expectRefused }) => {
    for (const query of [
      "since=0000-01-01T00:00:00Z",
      "until=10000-01-01T00:00:00Z",
      "since=9999-12-31T20:00:00-14:00",
    ]) {
      await expectRefused(
        await api.request("GET", `/api/v1/monitors/${monitorId}/checks?${query}`, { auth: owner.token }),
      );
    }
    await expectRefused(
      await api.request("POST", "/api/v1/keys", {
        auth: owner.token,
        body: { name: "old", expires_at: "0000-01-01T00:00:00Z" },
      }),
      "expires_at",
    );
  });

  it("cannot be stored by any writer: the database refuses them too", async ({ api, owner, monitorId }) => {
    const created = await api.request("POST", "/api/v1/maintenance-windows", {
      auth: owner.token,
      body: { ...window(monitorId, "weekly"), starts_at: "2026-01-01T00:00:00Z", ends_at: "2026-01-01T01:00:00Z" },
    });
    expect(created.status, created.text).toBe(201);
    await expect(api.deps.db.$executeRaw`
      UPDATE maintenance_windows SET starts_at = '10000-01-01T10:00:00Z', ends_at = '10000-01-01T13:00:00Z'
      WHERE id = ${created.body.id}`).rejects.toThrow(/maintenance_windows_instants_bounded/);
    const listed = await timed(() => api.request("GET", "/api/v1/maintenance-windows", { auth: owner.token }));
    expect(listed.body.data.map((w: { starts_at: string }) => w.starts_at)).toEqual(["2026-01-01T00:00:00.000Z"]);
  });
});

describe("deeply nested JSON", () => {
  it("is a 400 while parsing, unauthenticated, at any depth past 64", async ({ api }) => {
    for (const depth of [65, 5_000, 200_000]) {
      const res = await api.request("POST", "/api/v1/auth/login", {
        rawBody: `{"email": ${"[".repeat(depth)}${"]".repeat(depth)}, "password": "x"}`,
      });
      expect(res.status, res.text).toBe(400);
      expect(res.body.details).toEqual([{ path: "(body)", message: "JSON nested deeper than 64 levels" }]);
    }
  });

  it("counts brackets inside strings as text", async ({ api }) => {
    const res = await api.request("POST", "/api/v1/auth/login", {
      body: { email: `${"[{".repeat(100)}@example.com`, password: "wrong password" },
    });
    expect(res.body.details?.[0]?.message).not.toMatch(/nested/);
  });
});

describe("a body that is JSON null or a scalar", () => {
  it("is a 400, not read as an empty object", async ({ api, owner, monitorId, expectRefused }) => {
    for (const rawBody of ["null", "3", '"text"', "true"]) {
      const res = await api.request("POST", `/api/v1/monitors/${monitorId}/pause`, { auth: owner.token, rawBody });
      await expectRefused(res, "(body)");
    }
    const monitor = await api.request("GET", `/api/v1/monitors/${monitorId}`, { auth: owner.token });
    expect(monitor.body.paused).toBe(false);
  });
});

describe("bad percent-encoding in a path", () => {
  it("is a 400 on id routes and public pages, never a 500", async ({ api, owner }) => {
    for (const bad of ["%ZZ", "%ED%A0%80", "%"]) {
      for (const path of [
        `/api/v1/monitors/${bad}`,
        `/api/v1/incidents/${bad}/acknowledge`,
        `/status/${bad}`,
        `/api/v1/public/status-pages/${bad}`,
        `/status/slug/badge/${bad}.svg`,
      ]) {
        const method = path.endsWith("acknowledge") ? "POST" : "GET";
        const res = await api.request(method, path, { auth: owner.token });
        expect(res.status, `${method} ${path}: ${res.text}`).toBe(400);
        expect(res.body.error).toBe("validation_error");
      }
    }
  });
});

describe("NUL and lone surrogates in object keys", () => {
  it("are a 400 naming the object, in headers and in api steps sent as a JSON string", async ({
    api,
    owner,
    expectRefused,
  }) => {
    await expectRefused(
      await api.request("POST", "/api/v1/monitors", {
        auth: owner.token,
        body: { type: "http", name: "Keys", url: "https://example.com", http_headers: { "X-\u0000": "v" } },
      }),
      "http_headers",
    );
    await expectRefused(
      await api.request("POST", "/api/v1/monitors", {
        auth: owner.token,
        rawBody: `{"type":"http","name":"Keys","url":"https://example.com","http_headers":{"X-\\ud800":"v"}}`,
      }),
      "http_headers",
    );
    const steps = JSON.stringify([{ name: "s", url: "https://example.com", headers: { "A\u0000B": "v" } }]);
    await expectRefused(
      await api.request("POST", "/api/v1/monitors", {
        auth: owner.token,
        body: { type: "api", name: "Steps", api_check_steps: steps },
      }),
      "api_check_steps.0.headers",
    );
  });
});
