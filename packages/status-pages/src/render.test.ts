import { describe, expect, it } from "vitest";
import { badgeColour, renderBadge } from "./badge.ts";
import { TtlCache } from "./cache.ts";
import { CONTENT_SECURITY_POLICY, escapeHtml, renderPage } from "./html.ts";
import { componentState, overallState } from "./states.ts";
import { dailyBars } from "./uptime.ts";
import type { PublicView } from "./view.ts";

const DAY = 86_400_000;

describe("states", () => {
  it("shows maintenance over the checked state, and paused or unchecked monitors as such", () => {
    expect(componentState({ status: "down", paused: false }, true)).toBe("maintenance");
    expect(componentState({ status: "down", paused: true }, true)).toBe("paused");
    expect(componentState({ status: "pending", paused: false }, false)).toBe("no_data");
    expect(componentState({ status: "up", paused: false }, false)).toBe("operational");
  });

  it("is the worst watched component: all down is major, some partial", () => {
    expect(overallState(["outage", "outage", "paused"])).toBe("major_outage");
    expect(overallState(["outage", "operational"])).toBe("partial_outage");
    expect(overallState(["degraded", "maintenance"])).toBe("degraded");
    expect(overallState(["maintenance", "operational"])).toBe("under_maintenance");
    expect(overallState(["operational", "no_data"])).toBe("operational");
    expect(overallState([])).toBe("operational");
  });
});

describe("dailyBars", () => {
  it("lists every day oldest first, a day without a rollup as no data, and sums the rest", () => {
    const today = Date.parse("2026-03-25T00:00:00Z");
    const rows = [
      { monitorId: "m", bucket: new Date(today), checks: 100, failed: 1 },
      { monitorId: "m", bucket: new Date(today - 2 * DAY), checks: 100, failed: 0 },
    ];
    const { bars, uptime } = dailyBars(rows, today, 3);
    expect(bars).toEqual([
      { date: "2026-03-23", uptime_percent: 100 },
      { date: "2026-03-24", uptime_percent: null },
      { date: "2026-03-25", uptime_percent: 99 },
    ]);
    expect(uptime).toBe(99.5);
    expect(dailyBars([], today, 90).uptime).toBeNull();
  });

  it("leaves the checks made in maintenance out, a day spent wholly in it having no uptime", () => {
    const today = Date.parse("2026-03-25T00:00:00Z");
    const rows = [
      { bucket: new Date(today), checks: 100, failed: 40 },
      { bucket: new Date(today - DAY), checks: 100, failed: 0 },
    ];
    const held = new Map([
      [today, { checks: 40, failed: 40 }],
      [today - DAY, { checks: 100, failed: 0 }],
    ]);
    const { bars, uptime } = dailyBars(rows, today, 2, held);
    expect(bars.map((bar) => bar.uptime_percent)).toEqual([null, 100]);
    expect(uptime).toBe(100);
  });
});

describe("renderPage", () => {
  const view: PublicView = {
    name: `Acme "<b>"`,
    slug: "acme",
    description: "<img src=x onerror=alert(1)>",
    status: "partial_outage",
    sections: [
      {
        name: "<i>API</i>",
        components: [
          { id: "mon_1", name: "<script>alert(1)</script>", status: "outage", uptime_percent: 98.5, days: [] },
        ],
      },
    ],
    active_incidents: [
      {
        id: "inc_1",
        monitor_id: "mon_1",
        title: "</div><script>",
        status: "investigating",
        started_at: "2026-03-25T10:00:00.000Z",
        resolved_at: null,
        updates: [{ status: "investigating", message: "a & b <c>", created_at: "2026-03-25T10:00:00.000Z" }],
      },
    ],
    recent_incidents: [],
    generated_at: "2026-03-25T10:05:00.000Z",
  };

  it("escapes every value and has no script", () => {
    const html = renderPage(view);
    expect(html).not.toMatch(/<script|<img|<i>|<b>/);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("Acme &quot;&lt;b&gt;&quot;");
    expect(html).toContain("a &amp; b &lt;c&gt;");
    expect(html).toContain("Partial outage");
    expect(html).toContain("No incidents in the last 14 days.");
    // The incident names its component, escaped like the rest.
    expect(html).toContain(`&lt;script&gt;alert(1)&lt;/script&gt; · since 2026-03-25T10:00:00.000Z`);
  });

  it("allows only its own style block", () => {
    expect(CONTENT_SECURITY_POLICY).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(CONTENT_SECURITY_POLICY).not.toContain("unsafe");
    expect(escapeHtml(`'`)).toBe("&#39;");
  });
});

describe("renderBadge", () => {
  it("says the value and takes its colour from it", () => {
    expect(renderBadge(99.95)).toContain(">99.95%</text>");
    expect(renderBadge(null)).toContain(">no data</text>");
    expect([99.95, 99.5, 98, 96, 50, null].map(badgeColour)).toEqual([
      "#4c1",
      "#97ca00",
      "#dfb317",
      "#fe7d37",
      "#e05d44",
      "#9f9f9f",
    ]);
  });
});

describe("TtlCache", () => {
  it("shares a load among callers until it expires, keeps no failure and stays bounded", async () => {
    // From 1: lru-cache treats an entry stored at time 0 as ageless.
    let now = 1;
    let loads = 0;
    const cache = new TtlCache<string, number>(1000, 2, () => now);
    const load = async () => ++loads;
    expect(await Promise.all([cache.get("a", load), cache.get("a", load)])).toEqual([1, 1]);
    now = 1001;
    expect(await cache.get("a", load)).toBe(1);
    now = 1002;
    expect(await cache.get("a", load)).toBe(2);
    await expect(cache.get("b", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await cache.get("b", load)).toBe(3);
    await cache.get("c", load);
    expect(cache.size).toBe(2);
  });
});
