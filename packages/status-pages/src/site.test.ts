import { newId } from "@upfleet/ids";
import { createTestOrganization, monitorRow, type TestOrganization } from "@upfleet/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PublicPages } from "./site.ts";

let t: TestOrganization;
let monitorId: string;
beforeAll(async () => {
  t = await createTestOrganization();
  monitorId = (await t.db.monitor.create({ data: monitorRow(t.organizationId, { name: "API" }) })).id;
});
afterAll(() => t?.close());

async function publishedPage(slug: string) {
  await t.db.statusPage.create({
    data: {
      id: newId("statusPage"),
      organizationId: t.organizationId,
      name: "Acme",
      slug,
      published: true,
      sections: [{ name: "Core", monitor_ids: [monitorId] }],
    },
  });
}

describe("PublicPages", () => {
  it("keeps a built page while unknown slugs and unlisted badges are asked for, however many", async () => {
    const pages = new PublicPages(t.db, { ttlMs: 60_000, maxEntries: 2 });
    await publishedPage("kept-page");
    expect((await pages.view("kept-page"))?.name).toBe("Acme");
    expect(await pages.badge("kept-page", monitorId)).toContain("<svg");
    for (let i = 0; i < 20; i++) {
      expect(await pages.view(`no-such-page-${i}`)).toBeNull();
      expect(await pages.badge("kept-page", newId("monitor"))).toBeNull();
    }
    // Unpublished behind the cache's back: the page still served from memory shows it was not pushed out.
    await t.db.statusPage.updateMany({ where: { slug: "kept-page" }, data: { published: false } });
    expect((await pages.view("kept-page"))?.name).toBe("Acme");
    expect(await pages.badge("kept-page", monitorId)).toContain("<svg");
    pages.forget();
    expect(await pages.view("kept-page")).toBeNull();
  });
});
