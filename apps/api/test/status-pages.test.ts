import { newId } from "@upfleet/ids";
import { describe, expect } from "vitest";
import { createKey, type TestUser } from "./support/accounts.ts";
import { detailPaths, expectError, tableCounts } from "./support/security.ts";
import { newMonitor, tenantsTest } from "./support/tenants.ts";
import type { TestApi, TestResponse } from "./support/test-api.ts";

const PAGES = "/api/v1/status-pages";

type Fields = Record<string, unknown>;
let slugs = 0;

/**
 * `req` sends as `user` (the owner by default); `pageBody` is a valid page on `monA` with a fresh slug,
 * `createPage` creates one, and `expectRefused` checks a refused write changed no table.
 */
const it = tenantsTest({ PUBLIC_URL: "https://api.example.com" }).extend<{
  req: (method: string, path: string, body?: unknown, user?: TestUser) => Promise<TestResponse>;
  pageBody: (fields?: Fields) => Fields;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
  createPage: (fields?: Fields, user?: TestUser) => Promise<any>;
  expectRefused: (send: () => Promise<TestResponse>, status: number, code: string) => Promise<TestResponse>;
  /** The above with the file's API, accounts and the tenants' monitors, for a test to take in one name. */
  p: { api: TestApi; owner: TestUser; other: TestUser; monA: string; monB: string; foreignMonitor: string } & {
    req: (method: string, path: string, body?: unknown, user?: TestUser) => Promise<TestResponse>;
    pageBody: (fields?: Fields) => Fields;
    // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
    createPage: (fields?: Fields, user?: TestUser) => Promise<any>;
    expectRefused: (send: () => Promise<TestResponse>, status: number, code: string) => Promise<TestResponse>;
  };
}>({
  req: async ({ api, owner }, use) =>
    use((method, path, body, user = owner) =>
      api.request(method, path, { auth: user.token, ...(body === undefined ? {} : { body }) }),
    ),
  pageBody: async ({ monA }, use) =>
    use((fields = {}) => ({
      name: "Acme",
      slug: `acme-${++slugs}`,
      sections: [{ name: "API", monitor_ids: [monA] }],
      ...fields,
    })),
  createPage: async ({ owner, req, pageBody }, use) =>
    use(async (fields = {}, user = owner) => {
      const res = await req("POST", PAGES, pageBody(fields), user);
      expect(res.status, res.text).toBe(201);
      return res.body;
    }),
  expectRefused: async ({ api }, use) =>
    use(async (send, status, code) => {
      const before = await tableCounts(api);
      const res = await send();
      expectError(res, status, code);
      expect(await tableCounts(api)).toEqual(before);
      return res;
    }),
  p: async ({ api, owner, other, monA, monB, foreignMonitor, req, pageBody, createPage, expectRefused }, use) =>
    use({ api, owner, other, monA, monB, foreignMonitor, req, pageBody, createPage, expectRefused }),
});
describe("status pages CRUD", () => {
  it("creates, reads, lists, patches and deletes a page", async ({ p }) => {
    const { monA, monB, req, createPage } = p;
    const created = await createPage({
      slug: "round-trip",
      custom_domain: "Status.Example.com",
      sections: [
        { name: "API", monitor_ids: [monA, monA] },
        { name: "Web", monitor_ids: [monB] },
      ],
    });
    expect(created).toEqual({
      id: expect.stringMatching(/^stp_[0-9a-z]{26}$/),
      key: null,
      name: "Acme",
      slug: "round-trip",
      custom_domain: "status.example.com",
      custom_domain_verified: false,
      custom_domain_verification: {
        record: "_upfleet.status.example.com",
        type: "TXT",
        value: expect.stringMatching(/^upfleet-verify=/),
      },
      description: null,
      published: false,
      sections: [
        { name: "API", monitor_ids: [monA] },
        { name: "Web", monitor_ids: [monB] },
      ],
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect((await req("GET", `${PAGES}/${created.id}`)).body).toEqual(created);
    const list = await req("GET", PAGES);
    expect(list.body.data.map((p: { id: string }) => p.id)).toContain(created.id);

    const patched = await req("PATCH", `${PAGES}/${created.id}`, { published: true, description: "Our services" });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({
      ...created,
      published: true,
      description: "Our services",
      updated_at: expect.any(String),
    });
    const cleared = await req("PATCH", `${PAGES}/${created.id}`, {
      custom_domain: null,
      sections: [{ name: "All", monitor_ids: [monB] }],
    });
    expect(cleared.body).toMatchObject({
      custom_domain: null,
      custom_domain_verified: false,
      custom_domain_verification: null,
      sections: [{ name: "All", monitor_ids: [monB] }],
      published: true,
    });

    expect((await req("DELETE", `${PAGES}/${created.id}`)).status).toBe(204);
    expectError(await req("GET", `${PAGES}/${created.id}`), 404, "not_found");
    // Hard delete: the slug is free again.
    await createPage({ slug: "round-trip" });
  });

  it("refuses each bad input with a 400 naming the field, and writes nothing", async ({ p }) => {
    const { monA, req, pageBody, expectRefused } = p;
    const bad: [Record<string, unknown>, string[]][] = [
      [{ slug: "Acme" }, ["slug"]],
      [{ slug: "ab" }, ["slug"]],
      [{ slug: "a_b_c" }, ["slug"]],
      [{ name: "" }, ["name"]],
      [{ custom_domain: "https://status.example.com" }, ["custom_domain"]],
      [{ custom_domain: "10.0.0.1" }, ["custom_domain"]],
      [{ custom_domain: "127.0.0.1" }, ["custom_domain"]],
      [{ description: "x".repeat(2001) }, ["description"]],
      [{ sections: [] }, ["sections"]],
      [{ sections: Array(21).fill({ name: "S", monitor_ids: [monA] }) }, ["sections"]],
      [{ sections: [{ name: "S", monitor_ids: [] }] }, ["sections.0.monitor_ids"]],
      [
        {
          sections: [
            {
              name: "S",
              monitor_ids: Array(101)
                .fill(0)
                .map(() => newId("monitor")),
            },
          ],
        },
        ["sections.0.monitor_ids"],
      ],
      [{ published: "yes" }, ["published"]],
      [{ id: "stp_x", colour: "red" }, ["colour", "id"]],
    ];
    for (const [fields, paths] of bad) {
      const res = await expectRefused(() => req("POST", PAGES, pageBody(fields)), 400, "validation_error");
      expect(detailPaths(res), JSON.stringify(fields)).toEqual(paths);
    }
    expect((await req("POST", PAGES, pageBody({ slug: "Acme" }))).body.details[0].message).toBe(
      "must be lower case (a-z, 0-9 and -)",
    );
  });

  it("refuses the API's own host as a custom domain", async ({ p }) => {
    const { req, pageBody, expectRefused } = p;
    const res = await expectRefused(
      () => req("POST", PAGES, pageBody({ custom_domain: "api.example.com" })),
      400,
      "validation_error",
    );
    expect(res.body.details).toEqual([{ path: "custom_domain", message: "is the API's own host" }]);
  });

  it("is a 409 naming the slug taken, across organizations; an unverified domain blocks no one", async ({ p }) => {
    const { other, foreignMonitor, req, pageBody, createPage, expectRefused } = p;
    await createPage({ slug: "taken-slug", custom_domain: "status.taken.com" });
    const otherBody = (fields: Record<string, unknown>) =>
      ({ ...pageBody(fields), sections: [{ name: "S", monitor_ids: [foreignMonitor] }] }) as const;
    const slug = await expectRefused(
      () => req("POST", PAGES, otherBody({ slug: "taken-slug" }), other),
      409,
      "conflict",
    );
    expect(slug.body.message).toContain("taken-slug");
    // custom-domains.test.ts: a claim blocks others only once verified, and then at verification.
    const domain = await req("POST", PAGES, otherBody({ custom_domain: "STATUS.taken.com" }), other);
    expect(domain.status, domain.text).toBe(201);
    expect(domain.body).toMatchObject({ custom_domain: "status.taken.com", custom_domain_verified: false });
    const mine = await createPage();
    const patch = await expectRefused(
      () => req("PATCH", `${PAGES}/${mine.id}`, { slug: "taken-slug" }),
      409,
      "conflict",
    );
    expect(patch.body.message).toContain("taken-slug");
  });

  it("is a 404 naming monitors that are another tenant's, deleted or unknown", async ({ p }) => {
    const { api, owner, monA, foreignMonitor, req, pageBody, createPage, expectRefused } = p;
    const deleted = await newMonitor(api, owner);
    expect((await req("DELETE", `/api/v1/monitors/${deleted}`)).status).toBe(204);
    const unknown = newId("monitor");
    for (const id of [foreignMonitor, deleted, unknown]) {
      const res = await expectRefused(
        () => req("POST", PAGES, pageBody({ sections: [{ name: "S", monitor_ids: [monA, id] }] })),
        404,
        "not_found",
      );
      expect(res.body.message).toBe(`Monitor ${id} does not exist`);
    }
    const page = await createPage();
    const res = await expectRefused(
      () => req("PATCH", `${PAGES}/${page.id}`, { sections: [{ name: "S", monitor_ids: [foreignMonitor, unknown] }] }),
      404,
      "not_found",
    );
    expect(res.body.message).toBe(`Monitors ${foreignMonitor}, ${unknown} do not exist`);
  });

  it("checks a PATCH's fields and keeps a page whose monitor was deleted since editable", async ({ p }) => {
    const { api, owner, monA, req, createPage, expectRefused } = p;
    const gone = await newMonitor(api, owner);
    const page = await createPage({ sections: [{ name: "S", monitor_ids: [monA, gone] }] });
    expect((await req("DELETE", `/api/v1/monitors/${gone}`)).status).toBe(204);
    const renamed = await req("PATCH", `${PAGES}/${page.id}`, { name: "Renamed" });
    expect(renamed.status, renamed.text).toBe(200);
    const res = await expectRefused(
      () => req("PATCH", `${PAGES}/${page.id}`, { slug: "NO", sections: [], extra: 1 }),
      400,
      "validation_error",
    );
    expect(detailPaths(res)).toEqual(["extra", "sections", "slug"]);
  });

  it("hides pages from other tenants: 404 on get, patch and delete, absent from their list", async ({ p }) => {
    const { other, req, createPage } = p;
    const page = await createPage({ name: "Owner's secret page" });
    for (const [method, body] of [["GET"], ["PATCH", { name: "taken over" }], ["DELETE"]] as const) {
      expectError(await req(method, `${PAGES}/${page.id}`, body, other), 404, "not_found");
    }
    const list = await req("GET", PAGES, undefined, other);
    expect(list.text).not.toContain(page.id);
    expect((await req("GET", `${PAGES}/${page.id}`)).body.name).toBe("Owner's secret page");
  });

  it("needs status-pages:read to read and status-pages:write to write", async ({ p }) => {
    const { api, owner, pageBody, createPage } = p;
    const page = await createPage();
    const reader = await createKey(api, owner, { scopes: ["status-pages:read"] });
    const asReader = (method: string, path: string, body?: unknown) =>
      api.request(method, path, { headers: { "x-api-key": reader.raw }, ...(body ? { body } : {}) });
    expect((await asReader("GET", PAGES)).status).toBe(200);
    expect((await asReader("GET", `${PAGES}/${page.id}`)).status).toBe(200);
    expectError(await asReader("POST", PAGES, pageBody()), 403, "forbidden");
    expectError(await asReader("PATCH", `${PAGES}/${page.id}`, { name: "x" }), 403, "forbidden");
    expectError(await asReader("DELETE", `${PAGES}/${page.id}`), 403, "forbidden");
  });
});
