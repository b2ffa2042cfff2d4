import { buildExport } from "@upfleet/exports";
import { beforeEach, describe, expect } from "vitest";
import { apiTest } from "./support/fixtures.ts";
import { expectError } from "./support/security.ts";
import { newMonitor } from "./support/tenants.ts";
import type { TestApi } from "./support/test-api.ts";

const LIMIT = 5;
const slug = "limited-page";

interface Answer {
  status: number;
  retryAfter: string | null;
}

/**
 * Sends up to 2 × LIMIT + 1 requests and returns the answers up to the first 429. Windows are fixed
 * minutes, so a run may straddle two of them; 2 × LIMIT + 1 requests still put LIMIT + 1 in one.
 */
async function untilLimited(send: () => Promise<Answer>): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < 2 * LIMIT + 1; i++) {
    const answer = await send();
    answers.push(answer);
    if (answer.status === 429) break;
  }
  return answers;
}

function expectLimited(answers: Answer[], okStatus: number) {
  const last = answers.at(-1)!;
  expect(last.status).toBe(429);
  expect(Number(last.retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(last.retryAfter)).toBeLessThanOrEqual(60);
  expect(answers.length).toBeGreaterThan(LIMIT);
  for (const answer of answers.slice(0, -1)) expect(answer.status).toBe(okStatus);
}

/**
 * `monitorId`, on the owner's published page `slug`; `get` sends an anonymous GET (once the page exists)
 * and returns its status and Retry-After.
 */
const it = apiTest({
  PUBLIC_RATE_LIMIT_PER_MINUTE: String(LIMIT),
  RATE_LIMIT_PER_MINUTE: "100000",
  RATE_LIMIT_PER_HOUR: "100000",
}).extend<{ monitorId: string; get: (path: string) => Promise<Answer> }>({
  monitorId: [
    async ({ api, owner }, use) => {
      const monitorId = await newMonitor(api, owner);
      const page = await api.request("POST", "/api/v1/status-pages", {
        auth: owner.token,
        body: { name: "Acme", slug, published: true, sections: [{ name: "All", monitor_ids: [monitorId] }] },
      });
      expect(page.status, page.text).toBe(201);
      await use(monitorId);
    },
    { scope: "file" },
  ],
  get: async ({ api, monitorId: _ }, use) =>
    use(async (path) => {
      const res = await api.request("GET", path);
      return { status: res.status, retryAfter: res.headers.get("retry-after") };
    }),
});
// Each case starts with a fresh minute for this client IP (the counters are Redis keys of this file's prefix).
beforeEach<{ api: TestApi }>(async ({ api }) => {
  const keys = await api.deps.redis.keys(`${api.redis.prefix}:rl:public:*`);
  if (keys.length > 0) await api.deps.redis.del(...keys);
});

describe("public pages, badges and download links are limited per client IP", () => {
  it("the HTML page", async ({ get }) => {
    expectLimited(await untilLimited(() => get(`/status/${slug}`)), 200);
  });

  it("the JSON page", async ({ get }) => {
    expectLimited(await untilLimited(() => get(`/api/v1/public/status-pages/${slug}`)), 200);
  });

  it("a badge", async ({ monitorId, get }) => {
    expectLimited(await untilLimited(() => get(`/status/${slug}/badge/${monitorId}.svg`)), 200);
  });

  it("unknown pages count too, so probing slugs is limited as well", async ({ get }) => {
    expectLimited(await untilLimited(() => get("/status/no-such-page")), 404);
  });

  it("a custom domain's /", async ({ api }) => {
    expectLimited(
      await untilLimited(() =>
        api
          .getWithHost("/", "status.unknown-domain.test")
          .then((res) => ({ status: res.status, retryAfter: (res.headers["retry-after"] as string) ?? null })),
      ),
      404,
    );
  });

  it("export download links", async ({ api, owner, get }) => {
    const created = await api.request("POST", "/api/v1/exports", {
      auth: owner.token,
      body: {
        type: "checks",
        format: "json",
        from: new Date(Date.now() - 3_600_000).toISOString(),
        to: new Date().toISOString(),
      },
    });
    expect(created.status, created.text).toBe(202);
    await buildExport(api.deps.db, created.body.id, { chunkBytes: 1024, fileTtlMs: 3_600_000 });
    const url = new URL(
      (await api.request("GET", `/api/v1/exports/${created.body.id}`, { auth: owner.token })).body.download_url,
    );
    // Bad tokens are limited like good ones: a link cannot be guessed at speed.
    const badPath = `${url.pathname}?token=not-a-token`;
    expectLimited(await untilLimited(() => get(badPath)), 401);
  });

  it("the 429 has the error shape, and authenticated requests keep their own budget", async ({ api, owner, get }) => {
    const answers = await untilLimited(() => get(`/status/${slug}`));
    expect(answers.at(-1)!.status).toBe(429);
    const limited = await api.request("GET", `/api/v1/public/status-pages/${slug}`);
    expectError(limited, 429, "rate_limited");
    const own = await api.request("GET", "/api/v1/status-pages", { auth: owner.token });
    expect(own.status).toBe(200);
    expect((await api.request("GET", "/healthz")).status).toBe(200);
  });
});
