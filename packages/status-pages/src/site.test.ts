import { newId } from "@upfleet/ids";
import { monitorRow } from "@upfleet/testing";
import { test } from "@upfleet/testing/fixtures";
import { describe, expect } from "vitest";
import { PublicPages } from "./site.ts";
import { dailyUptimeOf } from "./uptime.ts";

const DAY = 86_400_000;

/** `monitorId`: the file's "API" monitor; `publishedPage` publishes a page listing it. */
const it = test.extend<{ monitorId: string; publishedPage: (slug: string) => Promise<void> }>({
  monitorId: [
    async ({ db, organizationId }, use) =>
      use((await db.monitor.create({ data: monitorRow(organizationId, { name: "API" }) })).id),
    { scope: "file" },
  ],
  publishedPage: async ({ db, organizationId, monitorId }, use) =>
    use(async (slug) => {
      await db.statusPage.create({
        data: {
          id: newId("statusPage"),
          organizationId,
          name: "Acme",
          slug,
          published: true,
          sections: [{ name: "Core", monitor_ids: [monitorId] }],
        },
      });
    }),
});

describe("PublicPages", () => {
  it("keeps a built page while unknown slugs and unlisted badges are asked for, however many", async ({
    db,
    monitorId,
    publishedPage,
  }) => {
    const pages = new PublicPages(db, { ttlMs: 60_000, maxEntries: 2 });
    await publishedPage("kept-page");
    expect((await pages.view("kept-page"))?.name).toBe("Acme");
    expect(await pages.badge("kept-page", monitorId)).toContain("<svg");
    for (let i = 0; i < 20; i++) {
      expect(await pages.view(`no-such-page-${i}`)).toBeNull();
      expect(await pages.badge("kept-page", newId("monitor"))).toBeNull();
    }
    // Unpublished behind the cache's back: the page still served from memory shows it was not pushed out.
    await db.statusPage.updateMany({ where: { slug: "kept-page" }, data: { published: false } });
    expect((await pages.view("kept-page"))?.name).toBe("Acme");
    expect(await pages.badge("kept-page", monitorId)).toContain("<svg");
    pages.forget();
    expect(await pages.view("kept-page")).toBeNull();
  });
});

describe("dailyUptimeOf", () => {
  it("counts closed days' checks in maintenance once, and today's on every build", async ({ db, organizationId }) => {
    const id = (await db.monitor.create({ data: monitorRow(organizationId, { name: "DB" }) })).id;
    const now = Date.now();
    const today = Math.floor(now / DAY) * DAY;
    // A daily window from 00:00 to 00:30 UTC, since two days ago: one occurrence closed, one today.
    await db.maintenanceWindow.create({
      data: {
        id: newId("maintenanceWindow"),
        organizationId: organizationId,
        name: "nightly",
        monitorIds: [id],
        startsAt: new Date(today - 2 * DAY),
        endsAt: new Date(today - 2 * DAY + 30 * 60_000),
        repeat: "daily",
      },
    });
    const { seq } = await db.monitor.findUniqueOrThrow({ where: { id } });
    const result = (tick: number, status: "up" | "down") => ({
      monitorSeq: seq,
      region: "local",
      tick: new Date(tick),
      checkedAt: new Date(tick),
      status,
    });
    const rollup = (day: number, checks: number, failed: number) => ({
      monitorId: id,
      span: 86_400,
      bucket: new Date(day),
      checks,
      failed,
      histogram: [],
    });
    // Each day: one check in the window (down), one outside (up).
    await db.checkResult.createMany({
      data: [
        result(today - DAY + 60_000, "down"),
        result(today - DAY + 3_600_000, "up"),
        result(today + 60_000, "down"),
        result(today + 3_600_000, "up"),
      ],
    });
    await db.checkRollup.createMany({ data: [rollup(today - DAY, 2, 1), rollup(today, 2, 1)] });
    const bars = async () => (await dailyUptimeOf(db, [id], 2, Math.max(now, today + 3_600_001))).get(id)!.bars;
    expect((await bars()).map((b) => b.uptime_percent)).toEqual([100, 100]);
    // The results go (as if never read again): yesterday's count is kept, today's is read anew.
    await db.checkResult.deleteMany({ where: { monitorSeq: seq } });
    expect((await bars()).map((b) => b.uptime_percent)).toEqual([100, 50]);
  });
});
