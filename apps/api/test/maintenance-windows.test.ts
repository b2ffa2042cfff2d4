import { newId } from "@upfleet/ids";
import { stateChangeRow } from "@upfleet/testing";
import { describe, expect } from "vitest";
import { createKey, type TestUser } from "./support/accounts.ts";
import { detailPaths, expectError, tableCounts } from "./support/security.ts";
import { newMonitor, test } from "./support/tenants.ts";
import type { TestApi, TestResponse } from "./support/test-api.ts";

const WINDOWS = "/api/v1/maintenance-windows";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

type Fields = Record<string, unknown>;

/**
 * `req` sends as `user` (the owner by default); `windowBody` is a valid body, a one-off two-hour window
 * on `monA` starting a day from now; `createWindow` creates one; `allPages` follows a list's next_cursor
 * to the end and returns every id.
 */
const it = test.extend<{
  req: (method: string, path: string, body?: unknown, user?: TestUser) => Promise<TestResponse>;
  windowBody: (fields?: Fields) => Fields;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
  createWindow: (fields?: Fields) => Promise<any>;
  allPages: (query: string) => Promise<{ ids: string[]; pages: number }>;
  /** The above with the file's API, owner and the tenants' monitors, for a test to take in one name. */
  w: { api: TestApi; owner: TestUser; monA: string; monB: string; foreignMonitor: string } & {
    req: (method: string, path: string, body?: unknown, user?: TestUser) => Promise<TestResponse>;
    windowBody: (fields?: Fields) => Fields;
    // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
    createWindow: (fields?: Fields) => Promise<any>;
    allPages: (query: string) => Promise<{ ids: string[]; pages: number }>;
  };
}>({
  req: async ({ api, owner }, use) =>
    use((method, path, body, user = owner) =>
      api.request(method, path, { auth: user.token, ...(body === undefined ? {} : { body }) }),
    ),
  windowBody: async ({ monA }, use) =>
    use((fields = {}) => {
      const start = Date.now() + DAY;
      return {
        name: "DB upgrade",
        monitor_ids: [monA],
        starts_at: iso(start),
        ends_at: iso(start + 2 * HOUR),
        ...fields,
      };
    }),
  createWindow: async ({ req, windowBody }, use) =>
    use(async (fields = {}) => {
      const res = await req("POST", WINDOWS, windowBody(fields));
      expect(res.status, res.text).toBe(201);
      return res.body;
    }),
  allPages: async ({ req }, use) =>
    use(async (query) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await req("GET", `${WINDOWS}?${query}${cursor ? `&cursor=${cursor}` : ""}`);
        expect(res.status, res.text).toBe(200);
        ids.push(...res.body.data.map((w: { id: string }) => w.id));
        cursor = res.body.next_cursor;
        pages++;
      } while (cursor);
      return { ids, pages };
    }),
  w: async ({ api, owner, monA, monB, foreignMonitor, req, windowBody, createWindow, allPages }, use) =>
    use({ api, owner, monA, monB, foreignMonitor, req, windowBody, createWindow, allPages }),
});

describe("maintenance windows", () => {
  it("creates, reads, lists, patches and deletes", async ({ w }) => {
    const { api, monA, monB, req } = w;
    const start = Date.parse("2030-06-01T00:00:00Z");
    const created = await req("POST", WINDOWS, {
      name: "  DB upgrade ",
      monitor_ids: [monA, monA],
      starts_at: "2030-06-01T02:00:00+02:00",
      ends_at: "2030-06-01T04:00:00.500+02:00",
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^mnt_[0-9a-z]{26}$/),
      key: null,
      name: "DB upgrade",
      monitor_ids: [monA],
      starts_at: iso(start),
      ends_at: iso(start + 2 * HOUR + 500),
      repeat: null,
      timezone: "UTC",
      active: false,
      next_occurrence: { starts_at: iso(start), ends_at: iso(start + 2 * HOUR + 500) },
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updated_at: expect.any(String),
    });
    const id = created.body.id;
    expect((await req("GET", `${WINDOWS}/${id}`)).body).toEqual(created.body);

    const weekly = { name: "Weekly upgrade", monitor_ids: [monB, monA], repeat: "weekly", timezone: "Europe/Berlin" };
    const patched = await req("PATCH", `${WINDOWS}/${id}`, weekly);
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ id, ...weekly, starts_at: iso(start) });
    expect(Date.parse(patched.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(created.body.updated_at));
    expect((await req("PATCH", `${WINDOWS}/${id}`, { repeat: null })).body.repeat).toBeNull();

    const list = await req("GET", WINDOWS);
    expect(list.body.data.map((w: { id: string }) => w.id)).toContain(id);
    expect((await req("DELETE", `${WINDOWS}/${id}`)).status).toBe(204);
    expectError(await req("GET", `${WINDOWS}/${id}`), 404, "not_found");
    expectError(await req("DELETE", `${WINDOWS}/${id}`), 404, "not_found");
    expect(await api.deps.db.maintenanceWindow.count({ where: { id } })).toBe(0);
  });

  it("says whether an occurrence is on now, and which is current or next", async ({ w }) => {
    const { createWindow } = w;
    const now = Date.now();
    const on = await createWindow({ starts_at: iso(now - HOUR), ends_at: iso(now + HOUR) });
    expect(on).toMatchObject({ active: true, next_occurrence: { starts_at: on.starts_at, ends_at: on.ends_at } });

    const over = await createWindow({ starts_at: iso(now - 3 * HOUR), ends_at: iso(now - 2 * HOUR) });
    expect(over).toMatchObject({ active: false, next_occurrence: null });

    // Daily, first three days ago: today's occurrence is on, same time of day.
    const daily = await createWindow({
      starts_at: iso(now - 3 * DAY - HOUR),
      ends_at: iso(now - 3 * DAY + HOUR),
      repeat: "daily",
    });
    expect(daily).toMatchObject({
      active: true,
      next_occurrence: { starts_at: iso(now - HOUR), ends_at: iso(now + HOUR) },
    });
    // Daily, over for today: tomorrow's is next.
    const later = await createWindow({
      starts_at: iso(now - 3 * DAY - 3 * HOUR),
      ends_at: iso(now - 3 * DAY - 2 * HOUR),
      repeat: "daily",
    });
    expect(later).toMatchObject({
      active: false,
      next_occurrence: { starts_at: iso(now + DAY - 3 * HOUR), ends_at: iso(now + DAY - 2 * HOUR) },
    });
  });

  it("a daily Europe/Berlin window's next occurrence keeps its local time across DST", async ({ w }) => {
    const { createWindow } = w;
    const berlinOffset = (ms: number) =>
      new Intl.DateTimeFormat("en-US", { timeZone: "Europe/Berlin", timeZoneName: "longOffset" })
        .formatToParts(ms)
        .find((part) => part.type === "timeZoneName")?.value;
    const localTime = (at: string) =>
      new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", timeStyle: "short" }).format(Date.parse(at));
    // First occurrence last year, in whichever of summer or winter time it is not now.
    const year = new Date().getUTCFullYear() - 1;
    const first =
      berlinOffset(Date.now()) === "GMT+01:00"
        ? { starts_at: `${year}-07-01T03:00:00+02:00`, ends_at: `${year}-07-01T04:30:00+02:00` }
        : { starts_at: `${year}-01-15T03:00:00+01:00`, ends_at: `${year}-01-15T04:30:00+01:00` };

    const window = await createWindow({ ...first, repeat: "daily", timezone: "Europe/Berlin" });
    const next = window.next_occurrence;
    expect(localTime(next.starts_at)).toBe("03:00");
    expect(localTime(next.ends_at)).toBe("04:30");
    expect(Date.parse(next.ends_at) - Date.parse(next.starts_at)).toBe(1.5 * HOUR);
    // Within a day of a clock change the next occurrence may fall on the first one's side of it.
    if (berlinOffset(Date.now() - 2 * HOUR) === berlinOffset(Date.now() + 25 * HOUR)) {
      expect(berlinOffset(Date.parse(next.starts_at))).not.toBe(berlinOffset(Date.parse(window.starts_at)));
      expect(new Date(next.starts_at).getUTCHours()).not.toBe(new Date(window.starts_at).getUTCHours());
    }
    expect(Date.parse(next.ends_at)).toBeGreaterThan(Date.now());
    expect(Date.parse(next.starts_at)).toBeLessThan(Date.now() + DAY);
  });
});

describe("bad input", () => {
  it("is a 400 naming each problem, storing nothing", async ({ w }) => {
    const { api, monA, req, windowBody } = w;
    const start = Date.now() + DAY;
    const cases: [unknown, string[]][] = [
      [windowBody({ timezone: "Mars/Olympus" }), ["timezone"]],
      [windowBody({ timezone: "" }), ["timezone"]],
      [windowBody({ ends_at: iso(start - HOUR) }), ["ends_at"]],
      [windowBody({ ends_at: iso(start) }), ["ends_at"]],
      [windowBody({ ends_at: iso(start + 25 * HOUR), repeat: "daily" }), ["ends_at"]],
      [windowBody({ ends_at: iso(start + 8 * DAY), repeat: "weekly" }), ["ends_at"]],
      [windowBody({ monitor_ids: [] }), ["monitor_ids"]],
      [windowBody({ monitor_ids: monA }), ["monitor_ids"]],
      [windowBody({ monitor_ids: [42] }), ["monitor_ids.0"]],
      [windowBody({ monitor_ids: Array.from({ length: 501 }, () => newId("monitor")) }), ["monitor_ids"]],
      [windowBody({ repeat: "monthly" }), ["repeat"]],
      [windowBody({ repeat: 1 }), ["repeat"]],
      [windowBody({ active: true, id: newId("maintenanceWindow") }), ["active", "id"]],
      [windowBody({ starts_at: "2030-06-01T02:00:00" }), ["starts_at"]],
      [windowBody({ starts_at: "0000-01-01T00:00:00Z" }), ["starts_at"]],
      [windowBody({ starts_at: "tomorrow", ends_at: null }), ["ends_at", "starts_at"]],
      [windowBody({ name: "   " }), ["name"]],
      [windowBody({ name: "x".repeat(201) }), ["name"]],
      [windowBody({ name: "a\u0000b", monitor_ids: ["mon_\u0000"] }), ["monitor_ids.0", "name"]],
      [{ monitor_ids: [monA] }, ["ends_at", "name", "starts_at"]],
      [[], ["(root)"]],
    ];
    const before = await tableCounts(api);
    for (const [body, paths] of cases) {
      const res = await req("POST", WINDOWS, body);
      expectError(res, 400, "validation_error");
      expect(detailPaths(res), JSON.stringify(body).slice(0, 200)).toEqual(paths);
    }
    const daily = await req("POST", WINDOWS, windowBody({ ends_at: iso(start + 25 * HOUR), repeat: "daily" }));
    expect(daily.body.details).toEqual([{ path: "ends_at", message: "a daily window lasts at most 24 hours" }]);
    const mars = await req("POST", WINDOWS, windowBody({ timezone: "Mars/Olympus" }));
    expect(mars.body.details).toEqual([{ path: "timezone", message: 'unknown IANA time zone "Mars/Olympus"' }]);
    expect(await tableCounts(api)).toEqual(before);
  });

  it("is a 404 naming unknown, deleted and other tenants' monitors, storing nothing", async ({ w }) => {
    const { api, owner, monA, foreignMonitor, req, windowBody } = w;
    const deleted = await newMonitor(api, owner);
    expect((await req("DELETE", `/api/v1/monitors/${deleted}`)).status).toBe(204);
    const unknown = newId("monitor");
    const cases: [string[], string[]][] = [
      [[monA, foreignMonitor], [foreignMonitor]],
      [
        [unknown, foreignMonitor],
        [unknown, foreignMonitor],
      ],
      [[deleted], [deleted]],
      [["not-an-id"], ["not-an-id"]],
    ];
    const before = await tableCounts(api);
    for (const [monitor_ids, named] of cases) {
      const res = await req("POST", WINDOWS, windowBody({ monitor_ids }));
      expectError(res, 404, "not_found");
      for (const id of named) expect(res.body.message).toContain(id);
      expect(res.body.message).not.toContain(monA);
    }
    expect(await tableCounts(api)).toEqual(before);
  });

  it("a PATCH is checked merged onto the window, and a refused one changes nothing", async ({ w }) => {
    const { foreignMonitor, req, createWindow } = w;
    const window = await createWindow();
    const path = `${WINDOWS}/${window.id}`;
    const start = Date.parse(window.starts_at);
    const cases: [unknown, string[]][] = [
      [{ ends_at: iso(start - HOUR) }, ["ends_at"]],
      [{ starts_at: iso(start + 3 * HOUR) }, ["ends_at"]],
      [{ ends_at: iso(start + 25 * HOUR), repeat: "daily" }, ["ends_at"]],
      [{ timezone: "Mars/Olympus" }, ["timezone"]],
      [{ monitor_ids: [] }, ["monitor_ids"]],
      [{ repeat: "hourly" }, ["repeat"]],
      [{ active: false }, ["active"]],
      [{ name: null }, ["name"]],
    ];
    for (const [body, paths] of cases) {
      const res = await req("PATCH", path, body);
      expectError(res, 400, "validation_error");
      expect(detailPaths(res), JSON.stringify(body)).toEqual(paths);
    }
    expectError(await req("PATCH", path, { monitor_ids: [foreignMonitor] }), 404, "not_found");
    expect((await req("GET", path)).body).toEqual(window);

    // A 25-hour one-off window may not become daily; shortened in the same PATCH it may.
    const long = await createWindow({ ends_at: iso(start + 25 * HOUR) });
    expectError(await req("PATCH", `${WINDOWS}/${long.id}`, { repeat: "daily" }), 400, "validation_error");
    const daily = await req("PATCH", `${WINDOWS}/${long.id}`, { repeat: "daily", ends_at: iso(start + 24 * HOUR) });
    expect(daily.status, daily.text).toBe(200);
  });

  it("a window naming a since-deleted monitor can still be renamed", async ({ w }) => {
    const { api, owner, monA, req, createWindow } = w;
    const doomed = await newMonitor(api, owner);
    const window = await createWindow({ monitor_ids: [doomed, monA] });
    expect((await req("DELETE", `/api/v1/monitors/${doomed}`)).status).toBe(204);
    const renamed = await req("PATCH", `${WINDOWS}/${window.id}`, { name: "renamed" });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body.monitor_ids).toEqual([doomed, monA]);
  });

  it("refuses bad list queries with a 400", async ({ w }) => {
    const { req } = w;
    for (const [query, path] of [
      ["active=yes", "active"],
      ["limit=0", "limit"],
      ["limit=201", "limit"],
      ["cursor=nope", "cursor"],
      [`monitor_id=${"x".repeat(65)}`, "monitor_id"],
      ["monitor_ids=mon_x", "monitor_ids"],
      ["monitor_id=mon_%00", "monitor_id"],
    ]) {
      const res = await req("GET", `${WINDOWS}?${query}`);
      expectError(res, 400, "validation_error");
      expect(detailPaths(res)).toEqual([path]);
    }
  });
});

describe("tenancy and scopes", () => {
  it("another organization's window is a 404 on every :id route and is left alone", async ({ other, w }) => {
    const { api, monA, foreignMonitor, req, createWindow } = w;
    const window = await createWindow();
    const path = `${WINDOWS}/${window.id}`;
    const before = await tableCounts(api);
    expectError(await req("GET", path, undefined, other), 404, "not_found");
    expectError(await req("PATCH", path, { name: "taken over" }, other), 404, "not_found");
    expectError(await req("PATCH", path, { monitor_ids: [foreignMonitor] }, other), 404, "not_found");
    expectError(await req("DELETE", path, undefined, other), 404, "not_found");
    expect(await tableCounts(api)).toEqual(before);
    expect((await req("GET", path)).body).toMatchObject({ name: window.name, updated_at: window.updated_at });

    const theirs = await req("GET", `${WINDOWS}?monitor_id=${monA}`, undefined, other);
    expect(theirs.body).toEqual({ data: [], next_cursor: null });
    expect((await req("GET", WINDOWS, undefined, other)).text).not.toContain(window.id);
  });

  it("a monitors:read key reads windows but cannot write them", async ({ w }) => {
    const { api, owner, req, windowBody, createWindow } = w;
    const window = await createWindow();
    const key = await createKey(api, owner, { scopes: ["monitors:read"], name: "reader" });
    const asKey = (method: string, path: string, body?: unknown) =>
      api.request(method, path, { headers: { "x-api-key": key.raw }, ...(body === undefined ? {} : { body }) });

    expect((await asKey("GET", `${WINDOWS}/${window.id}`)).body).toMatchObject({ id: window.id });
    expect((await asKey("GET", WINDOWS)).status).toBe(200);
    const before = await tableCounts(api);
    expectError(await asKey("POST", WINDOWS, windowBody()), 403, "forbidden");
    expectError(await asKey("PATCH", `${WINDOWS}/${window.id}`, { name: "renamed" }), 403, "forbidden");
    expectError(await asKey("DELETE", `${WINDOWS}/${window.id}`), 403, "forbidden");
    expect(await tableCounts(api)).toEqual(before);
    expect((await req("GET", `${WINDOWS}/${window.id}`)).body.name).toBe(window.name);

    const writer = await createKey(api, owner, { scopes: ["monitors:write"], name: "writer" });
    expectError(await api.request("GET", WINDOWS, { headers: { "x-api-key": writer.raw } }), 403, "forbidden");
  });
});

describe("lists", () => {
  it("page newest first with a cursor, and filter by monitor and by activity", async ({ w }) => {
    const { api, owner, monA, monB, req, createWindow, allPages } = w;
    const monitor = await newMonitor(api, owner);
    const now = Date.now();
    const on = { starts_at: iso(now - HOUR), ends_at: iso(now + HOUR) };
    const made: { id: string; active: boolean }[] = [];
    for (const [i, fields] of [on, {}, on, {}, {}, on, {}].entries()) {
      const window = await createWindow({ name: `w${i}`, monitor_ids: [monA, monitor], ...fields });
      made.push({ id: window.id, active: window.active });
    }
    const elsewhere = await createWindow({ monitor_ids: [monB], ...on });
    const newestFirst = made.map((w) => w.id).reverse();

    const firstPage = await req("GET", `${WINDOWS}?monitor_id=${monitor}&limit=3`);
    expect(firstPage.body.data.map((w: { id: string }) => w.id)).toEqual(newestFirst.slice(0, 3));
    expect(firstPage.body.next_cursor).toEqual(expect.any(String));
    expect(await allPages(`monitor_id=${monitor}&limit=3`)).toEqual({ ids: newestFirst, pages: 3 });
    expect(await allPages(`monitor_id=${monitor}&limit=7`)).toEqual({ ids: newestFirst, pages: 1 });

    const active = newestFirst.filter((id) => made.find((w) => w.id === id)!.active);
    const inactive = newestFirst.filter((id) => !active.includes(id));
    expect(active).toHaveLength(3);
    expect(await allPages(`monitor_id=${monitor}&active=true&limit=1`)).toEqual({ ids: active, pages: 3 });
    expect(await allPages(`monitor_id=${monitor}&active=false&limit=2`)).toEqual({ ids: inactive, pages: 2 });
    expect((await allPages(`monitor_id=${monitor}&active=false&limit=4`)).ids).toEqual(inactive);

    const onNow = (await allPages("active=true&limit=200")).ids;
    expect(onNow).toEqual(expect.arrayContaining([...active, elsewhere.id]));
    expect(onNow).not.toContain(inactive[0]);
    expect((await allPages(`monitor_id=${monB}`)).ids).toContain(elsewhere.id);
    expect((await allPages(`monitor_id=${monB}`)).ids).not.toContain(newestFirst[0]);
    expect((await allPages(`monitor_id=${newId("monitor")}`)).ids).toEqual([]);
  });
});

describe("ending maintenance early", () => {
  it("gives a monitor still down its monitor.down when the window holding it is shortened or deleted", async ({
    w,
  }) => {
    const { api, owner, req, createWindow } = w;
    const db = api.deps.db;
    const [shortened, deleted] = [await newMonitor(api, owner), await newMonitor(api, owner)];
    const started = Date.now() - HOUR;
    const held = await Promise.all(
      [shortened, deleted].map((id) =>
        createWindow({ monitor_ids: [id], starts_at: iso(started), ends_at: iso(started + 3 * HOUR) }),
      ),
    );
    // Both went down inside their window (the incident consumer opened nothing for it) and are still down.
    for (const monitorId of [shortened, deleted]) {
      await db.monitorEvent.create({
        data: stateChangeRow(owner.organizationId, monitorId, "monitor.down", new Date(started + 10 * 60_000)),
      });
      await db.monitor.update({ where: { id: monitorId }, data: { status: "down" } });
    }
    const stillDown = (monitorId: string) =>
      db.monitorEvent.count({
        where: { monitorId, cause: { path: ["error"], equals: "still down after maintenance" } },
      });

    // A rename keeps the window on: nothing.
    expect((await req("PATCH", `${WINDOWS}/${held[0].id}`, { name: "longer name" })).status).toBe(200);
    expect(await stillDown(shortened)).toBe(0);
    expect((await req("PATCH", `${WINDOWS}/${held[0].id}`, { ends_at: iso(Date.now() - 60_000) })).status).toBe(200);
    expect(await stillDown(shortened)).toBe(1);
    expect((await req("DELETE", `${WINDOWS}/${held[1].id}`)).status).toBe(204);
    expect(await stillDown(deleted)).toBe(1);
  });
});
