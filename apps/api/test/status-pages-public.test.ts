import { newId } from "@upfleet/ids";
import { describe, expect } from "vitest";
import { publicPages } from "../src/routes/public/site.ts";
import type { TestUser } from "./support/accounts.ts";
import { apiTest } from "./support/fixtures.ts";
import { expectError } from "./support/security.ts";
import type { TestApi, TestResponse } from "./support/test-api.ts";

const DAY = 86_400_000;
const HIDDEN_NAME = "hidden-internal-monitor";
const today = Math.floor(Date.now() / DAY) * DAY;

const send = (api: TestApi, owner: TestUser, method: string, path: string, body?: unknown) =>
  api.request(method, path, { auth: owner.token, ...(body === undefined ? {} : { body }) });

async function newMonitor(api: TestApi, owner: TestUser, name: string, status: "up" | "down"): Promise<string> {
  const res = await send(api, owner, "POST", "/api/v1/monitors", { name, type: "http", url: "https://example.com" });
  expect(res.status, res.text).toBe(201);
  await api.deps.db.monitor.update({ where: { id: res.body.id }, data: { status } });
  return res.body.id;
}

async function newIncident(api: TestApi, owner: TestUser, body: Record<string, unknown>): Promise<string> {
  const res = await send(api, owner, "POST", "/api/v1/incidents", body);
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

async function newPage(api: TestApi, owner: TestUser, fields: Record<string, unknown>) {
  const res = await send(api, owner, "POST", "/api/v1/status-pages", { name: "Acme", published: true, ...fields });
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; slug: string };
}

/** Listed: up; down but in maintenance; down and named like a script. Not listed: hidden. */
interface Seed {
  up: string;
  inMaintenance: string;
  scripted: string;
  hidden: string;
  page: { id: string; slug: string };
}

/** Everything about the unlisted monitor that must never leak. */
const expectNothingHidden = (seed: Seed, text: string) => {
  expect(text).not.toContain(seed.hidden);
  expect(text).not.toContain(HIDDEN_NAME);
  expect(text).not.toContain("hidden incident");
};

/**
 * `seed`: the owner's monitors, their history, incidents and maintenance, and the page "acme" that
 * lists three of them; `req`, `newMonitor` and `newPage` act as the owner, once the seed is there.
 */
const it = apiTest({ RATE_LIMIT_PER_MINUTE: "100000", RATE_LIMIT_PER_HOUR: "100000" }).extend<{
  seed: Seed;
  req: (method: string, path: string, body?: unknown) => Promise<TestResponse>;
  newMonitor: (name: string, status: "up" | "down") => Promise<string>;
  newPage: (fields: Record<string, unknown>) => Promise<{ id: string; slug: string }>;
}>({
  seed: [
    async ({ api, owner }, use) => {
      const up = await newMonitor(api, owner, "API", "up");
      const inMaintenance = await newMonitor(api, owner, "Database", "down");
      const scripted = await newMonitor(api, owner, "<script>alert(1)</script>", "down");
      const hidden = await newMonitor(api, owner, HIDDEN_NAME, "down");

      const window = {
        name: "upgrade",
        monitor_ids: [inMaintenance],
        starts_at: new Date(Date.now() - 3_600_000).toISOString(),
        ends_at: new Date(Date.now() + 3_600_000).toISOString(),
      };
      expect((await send(api, owner, "POST", "/api/v1/maintenance-windows", window)).status).toBe(201);

      // Daily rollups of `up`: yesterday 90 %, three days ago 100 %; an hourly row must not count.
      await api.deps.db.checkRollup.createMany({
        data: [
          { monitorId: up, span: 86_400, bucket: new Date(today - DAY), checks: 100, failed: 10, histogram: [] },
          { monitorId: up, span: 86_400, bucket: new Date(today - 3 * DAY), checks: 1000, failed: 0, histogram: [] },
          { monitorId: up, span: 86_400, bucket: new Date(today - 90 * DAY), checks: 5, failed: 5, histogram: [] },
          { monitorId: up, span: 3600, bucket: new Date(today), checks: 50, failed: 50, histogram: [] },
          { monitorId: hidden, span: 86_400, bucket: new Date(today), checks: 10, failed: 0, histogram: [] },
          { monitorId: inMaintenance, span: 86_400, bucket: new Date(today), checks: 10, failed: 5, histogram: [] },
        ],
      });
      // The 5 failures of `inMaintenance` today were checks made in its window: they count neither way.
      const heldFrom = Math.max(Date.now() - 30 * 60_000, today);
      const { seq } = await api.deps.db.monitor.findUniqueOrThrow({ where: { id: inMaintenance } });
      await api.deps.db.checkResult.createMany({
        data: Array.from({ length: 5 }, (_, i) => ({
          monitorSeq: seq,
          region: "local",
          tick: new Date(heldFrom + i * 1000),
          checkedAt: new Date(heldFrom + i * 1000),
          status: "down" as const,
        })),
      });

      const active = await newIncident(api, owner, {
        monitor_id: scripted,
        title: "Checkout is failing",
        message: "Looking <b>into</b> it",
      });
      expect(
        (
          await send(api, owner, "POST", `/api/v1/incidents/${active}/updates`, {
            status: "identified",
            message: "Found it",
          })
        ).status,
      ).toBe(201);
      const resolved = await newIncident(api, owner, { monitor_id: up, title: "Slow API" });
      expect(
        (await send(api, owner, "POST", `/api/v1/incidents/${resolved}/resolve`, { message: "Fixed" })).status,
      ).toBe(200);
      await newIncident(api, owner, { monitor_id: hidden, title: "hidden incident" });
      await newIncident(api, owner, { title: "Org-wide incident" });
      // Opened by the system: its first entry carries the check's error, which may name internal hosts.
      await api.deps.db.incident.create({
        data: {
          id: newId("incident"),
          organizationId: owner.organizationId,
          monitorId: up,
          sourceEventId: newId("event"),
          title: "API is down",
          status: "resolved",
          startedAt: new Date(Date.now() - DAY),
          resolvedAt: new Date(Date.now() - DAY + 60_000),
          updates: {
            create: [
              {
                id: newId("incidentUpdate"),
                status: "investigating",
                message: "Down: connect ECONNREFUSED 10.9.8.7:443",
              },
              { id: newId("incidentUpdate"), status: "resolved", message: "Recovered" },
            ],
          },
        },
      });

      const page = await newPage(api, owner, {
        slug: "acme",
        custom_domain: "status.acme.test",
        description: "Acme's <services>",
        sections: [
          { name: "Core", monitor_ids: [up, inMaintenance] },
          { name: "Shop", monitor_ids: [scripted] },
        ],
      });
      await use({ up, inMaintenance, scripted, hidden, page });
    },
    { scope: "file" },
  ],
  req: async ({ api, owner, seed: _ }, use) => use((method, path, body) => send(api, owner, method, path, body)),
  newMonitor: async ({ api, owner, seed: _ }, use) => use((name, status) => newMonitor(api, owner, name, status)),
  newPage: async ({ api, owner, seed: _ }, use) => use((fields) => newPage(api, owner, fields)),
});

describe("the public JSON", () => {
  it("shows the listed monitors, their state, bars and incidents, and nothing else", async ({ api, owner, seed }) => {
    const res = await api.request("GET", `/api/v1/public/status-pages/${seed.page.slug}`);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=30");
    expectNothingHidden(seed, res.text);
    expect(res.text).not.toContain("Org-wide incident");
    expect(res.text).not.toContain(owner.organizationId);
    expect(res.text).not.toContain("ECONNREFUSED");
    const view = res.body;
    expect(view).toMatchObject({
      name: "Acme",
      slug: "acme",
      description: "Acme's <services>",
      status: "partial_outage",
    });
    expect(
      view.sections.map((s: { name: string; components: { id: string; status: string }[] }) => [
        s.name,
        s.components.map((c) => [c.id, c.status]),
      ]),
    ).toEqual([
      [
        "Core",
        [
          [seed.up, "operational"],
          [seed.inMaintenance, "maintenance"],
        ],
      ],
      ["Shop", [[seed.scripted, "outage"]]],
    ]);

    const bars = view.sections[0].components[0];
    expect(bars.days).toHaveLength(90);
    expect(bars.days[89]).toEqual({ date: new Date(today).toISOString().slice(0, 10), uptime_percent: null });
    expect(bars.days[88].uptime_percent).toBe(90);
    expect(bars.days[86].uptime_percent).toBe(100);
    expect(bars.days.filter((d: { uptime_percent: number | null }) => d.uptime_percent !== null)).toHaveLength(2);
    expect(bars.uptime_percent).toBe(99.09);
    const maintained = view.sections[0].components[1];
    expect(maintained.days[89].uptime_percent).toBe(100);
    expect(maintained.uptime_percent).toBe(100);

    expect(view.active_incidents).toHaveLength(1);
    expect(view.active_incidents[0]).toMatchObject({
      monitor_id: seed.scripted,
      title: "Checkout is failing",
      status: "identified",
    });
    expect(view.active_incidents[0].updates.map((u: { message: string }) => u.message)).toEqual([
      "Looking <b>into</b> it",
      "Found it",
    ]);
    expect(view.recent_incidents.map((i: { title: string }) => i.title).sort()).toEqual(["API is down", "Slow API"]);
    const automatic = view.recent_incidents.find((i: { title: string }) => i.title === "API is down");
    expect(automatic.updates.map((u: { message: string | null }) => u.message)).toEqual([null, "Recovered"]);
  });

  it("is a 404 in the API's error shape for an unknown or unpublished page", async ({ api, seed, newPage }) => {
    const draft = await newPage({
      slug: "draft-page",
      published: false,
      sections: [{ name: "S", monitor_ids: [seed.up] }],
    });
    for (const slug of ["no-such-page", draft.slug, "UPPER"]) {
      expectError(await api.request("GET", `/api/v1/public/status-pages/${slug}`), 404, "not_found");
    }
  });

  it("drops a deleted monitor and serves a change made through this API at once", async ({
    api,
    seed,
    req,
    newMonitor,
    newPage,
  }) => {
    const doomed = await newMonitor("doomed", "up");
    const changing = await newPage({ slug: "changing", sections: [{ name: "S", monitor_ids: [seed.up, doomed] }] });
    expect((await req("DELETE", `/api/v1/monitors/${doomed}`)).status).toBe(204);
    const first = await api.request("GET", "/api/v1/public/status-pages/changing");
    expect(first.text).not.toContain(doomed);
    expect(first.body.sections[0].components).toHaveLength(1);
    // Cached: the same build is served again.
    expect((await api.request("GET", "/api/v1/public/status-pages/changing")).body.generated_at).toBe(
      first.body.generated_at,
    );
    expect((await req("PATCH", `/api/v1/status-pages/${changing.id}`, { published: false })).status).toBe(200);
    expectError(await api.request("GET", "/api/v1/public/status-pages/changing"), 404, "not_found");
  });
});

describe("the public HTML", () => {
  it("renders the page escaped, with a strict CSP and nothing unlisted", async ({ api, seed }) => {
    const res = await api.request("GET", `/status/${seed.page.slug}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=30");
    expect(res.headers.get("content-security-policy")).toMatch(/^default-src 'none'; style-src 'sha256-/);
    expect(res.text).not.toContain("<script");
    expect(res.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(res.text).toContain("Acme&#39;s &lt;services&gt;");
    expect(res.text).toContain("Looking &lt;b&gt;into&lt;/b&gt; it");
    expect(res.text).toContain("Partial outage");
    expect(res.text).toContain("Under maintenance");
    expect(res.text).not.toContain("ECONNREFUSED");
    expectNothingHidden(seed, res.text);
    expect(res.text.match(/<span class="b-/g)).toHaveLength(3 * 90);
  });

  it("is a small HTML 404 for an unknown page", async ({ api }) => {
    const res = await api.request("GET", "/status/no-such-page");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.text).toContain("Status page not found");
  });

  it("serves the page at / of its verified custom domain, and leaves other hosts alone", async ({ api, seed }) => {
    // Unverified, the domain serves nothing (custom-domains.test.ts verifies through a DNS server).
    expect((await api.getWithHost("/", "status.acme.test")).status).toBe(404);
    await api.deps.db.statusPage.update({ where: { id: seed.page.id }, data: { customDomainVerifiedAt: new Date() } });
    publicPages(api.deps).forget();
    const res = await api.getWithHost("/", "Status.Acme.Test:8443");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expectNothingHidden(seed, res.text);
    expect((await api.getWithHost("/", "unknown.acme.test")).status).toBe(404);
    expect((await api.getWithHost("/healthz", "status.acme.test")).status).toBe(200);
    // Not a domain a page could have: the API's own index.
    const json = await api.getWithHost("/", "127.0.0.1");
    expect(json.status).toBe(200);
    expect(json.headers["content-type"]).toMatch(/^application\/json/);
  });
});

describe("the badge", () => {
  it("is an SVG of the 30-day uptime for a listed monitor", async ({ api, seed }) => {
    const res = await api.request("GET", `/status/${seed.page.slug}/badge/${seed.up}.svg`);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    expect(res.text).toMatch(/^<svg /);
    expect(res.text).toContain(">uptime</text>");
    expect(res.text).toContain(">99.09%</text>");
  });

  it("is a 404 for a monitor the page does not list, and for an unpublished page", async ({ api, seed }) => {
    expectError(await api.request("GET", `/status/${seed.page.slug}/badge/${seed.hidden}.svg`), 404, "not_found");
    expectError(await api.request("GET", `/status/draft-page/badge/${seed.up}.svg`), 404, "not_found");
    expectError(await api.request("GET", `/status/no-such-page/badge/${seed.up}.svg`), 404, "not_found");
  });
});
