import { describe, expect } from "vitest";
import { createKey, type TestUser } from "./support/accounts.ts";
import { apiTest } from "./support/fixtures.ts";
import { FuzzGenerator, type FuzzRequest, type IdsByResource, type OpenApiDocument, seeded } from "./support/fuzz.ts";
import type { TestApi } from "./support/test-api.ts";

/**
 * Thousands of hostile requests built from the served OpenAPI document (support/fuzz.ts), sent by a
 * signed-in owner: none may be a 5xx, leave the error shape, take a second, or change a row when
 * refused; and whatever is accepted, another organization's rows stay as they were.
 */

const CONCURRENCY = 4;
const SLOW_MS = 1_000;
const AT_LEAST = 5_100;

/** One of each resource in `user`'s organization, by the path segment that names it. */
async function resources(api: TestApi, user: TestUser, label: string): Promise<Record<string, string>> {
  const post = async (path: string, body: unknown) => {
    const res = await api.request("POST", `/api/v1/${path}`, { auth: user.token, body });
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${res.text}`);
    return res.body;
  };
  const monitor = await post("monitors", { type: "http", name: "Fuzzed", url: "https://example.com/" });
  const channel = await post("notifications/channels", {
    name: "Mail",
    type: "email",
    config: { to: ["a@example.com"] },
  });
  const slug = `fuzz-${label}-${Date.now().toString(36)}`;
  return {
    monitors: monitor.id,
    "maintenance-windows": (
      await post("maintenance-windows", {
        name: "Nightly",
        monitor_ids: [monitor.id],
        starts_at: "2026-01-01T01:00:00Z",
        ends_at: "2026-01-01T02:00:00Z",
        repeat: "daily",
      })
    ).id,
    incidents: (await post("incidents", { title: "Fuzz incident", monitor_id: monitor.id })).id,
    channels: channel.id,
    rules: (await post("notifications/rules", { name: "All", channel_ids: [channel.id] })).id,
    "escalation-policies": (
      await post("escalation-policies", { name: "Page", steps: [{ delay_minutes: 0, channel_ids: [channel.id] }] })
    ).id,
    "status-pages": (
      await post("status-pages", {
        name: "Status",
        slug,
        published: true,
        sections: [{ name: "Web", monitor_ids: [monitor.id] }],
      })
    ).id,
    status: slug,
    public: slug,
    exports: (
      await post("exports", {
        type: "incidents",
        format: "json",
        from: "2026-01-01T00:00:00Z",
        to: "2026-01-02T00:00:00Z",
      })
    ).id,
    keys: (await createKey(api, user)).id,
    users: user.id,
  };
}

/**
 * One of each resource in the owner's organization and in the other's (`ids`), and the served
 * OpenAPI document the requests are built from.
 */
const it = apiTest({
  OPEN_SIGNUP: "true",
  RATE_LIMIT_PER_MINUTE: "1000000",
  RATE_LIMIT_PER_HOUR: "1000000",
  HEARTBEAT_IP_RATE_LIMIT_PER_MINUTE: "1000000",
}).extend<{ fuzzed: { ids: IdsByResource; doc: OpenApiDocument } }>({
  fuzzed: [
    async ({ api, owner, other }, use) => {
      const [own, foreign] = await Promise.all([resources(api, owner, "own"), resources(api, other, "foreign")]);
      const ids = Object.fromEntries(Object.keys(own).map((key) => [key, { own: own[key]!, foreign: foreign[key]! }]));
      await use({ ids, doc: (await api.request("GET", "/api/v1/openapi.json")).body });
    },
    { scope: "file" },
  ],
});
/** Rows per table: refused requests must leave every count as it was. */
async function rowCounts(api: TestApi): Promise<Record<string, number>> {
  const tables = await api.deps.db.$queryRaw<{ name: string }[]>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`;
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await api.deps.db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${name}"`);
    counts[name] = Number(row!.n);
  }
  return counts;
}

/** Everything stored under an organization, as one digest per table. */
async function tenantDigest(api: TestApi, organizationId: string): Promise<Record<string, string | null>> {
  const tables = await api.deps.db.$queryRaw<{ name: string }[]>`
    SELECT table_name AS name FROM information_schema.columns
    WHERE table_schema = 'public' AND column_name = 'organization_id' ORDER BY 1`;
  const digest: Record<string, string | null> = {};
  for (const { name } of tables) {
    const [row] = await api.deps.db.$queryRawUnsafe<{ d: string | null }[]>(
      `SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS d FROM "${name}" t WHERE organization_id = $1`,
      organizationId,
    );
    digest[name] = row!.d;
  }
  return digest;
}

interface Outcome {
  request: FuzzRequest;
  status: number;
  ms: number;
  problem: string | null;
}

async function send(api: TestApi, owner: TestUser, request: FuzzRequest): Promise<Outcome> {
  const started = performance.now();
  const headers: Record<string, string> = { authorization: `Bearer ${owner.token}` };
  if (request.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${api.url}${request.path}`, { method: request.method, headers, body: request.body });
  const text = await res.text();
  const ms = performance.now() - started;
  let problem: string | null = null;
  if (res.status >= 500) problem = `${res.status} ${text.slice(0, 200)}`;
  else if (request.refused && res.status < 400) problem = `accepted (${res.status}) though refused by its schema`;
  // A browser's status page answers its 404 as a page; every other error is the JSON error shape.
  // Node's own refusal of a request line past its 16 KiB header limit, before any of our code runs.
  else if (res.status === 431 && request.path.length > 16_000) problem = null;
  else if (res.status >= 400 && !(isHtml(res) && request.path.startsWith("/status/"))) {
    problem = errorShapeProblem(text, res.headers.get("x-request-id"));
  }
  return { request, status: res.status, ms, problem };
}

const isHtml = (res: Response) => (res.headers.get("content-type") ?? "").startsWith("text/html");

function errorShapeProblem(text: string, requestId: string | null): string | null {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text);
  } catch {
    return `not JSON: ${text.slice(0, 80)}`;
  }
  if (typeof body.error !== "string" || typeof body.message !== "string" || body.request_id !== requestId) {
    return `not the error shape: ${text.slice(0, 120)}`;
  }
  if (/\n\s+at |\.ts:\d+|node_modules|SELECT |prisma/i.test(text)) return `leaks internals: ${text.slice(0, 120)}`;
  return null;
}

async function run(api: TestApi, owner: TestUser, requests: FuzzRequest[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length) outcomes.push(await send(api, owner, requests[next++]!));
    }),
  );
  // A slow request is timed again alone: on a loaded machine the four in flight can stall together for
  // a second, while an input that makes the API slow is slow twice.
  for (const outcome of outcomes) {
    if (outcome.problem || outcome.ms <= SLOW_MS) continue;
    const again = await send(api, owner, outcome.request);
    if (again.ms > SLOW_MS)
      outcome.problem = `took ${Math.round(outcome.ms)} ms, then ${Math.round(again.ms)} ms alone`;
  }
  return outcomes;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function report(outcomes: Outcome[]): string[] {
  return outcomes
    .filter((o) => o.problem)
    .slice(0, 20)
    .map(
      (o) =>
        `${o.request.label} → ${o.request.method} ${o.request.path.slice(0, 120)} ${o.request.body?.slice(0, 120) ?? ""}: ${o.problem}`,
    );
}

describe("hostile requests from the OpenAPI document", () => {
  it("are refused with the error shape, within a second each, and change no row", { timeout: 180_000 }, async ({
    api,
    owner,
    other,
    fuzzed,
  }) => {
    const generator = new FuzzGenerator(fuzzed.doc, fuzzed.ids);
    const all = [...generator.all()];
    const combined = generator.combined(Math.max(0, AT_LEAST - all.length), seeded(11));
    // Shuffled: requests in flight together then seldom write the same row, which would queue them
    // behind its lock (a PATCH waiting on three others' is slow by design, not by its input).
    const random = seeded(7);
    const refused = shuffle([...all.filter((r) => r.refused), ...combined], random);
    const rest = shuffle(
      all.filter((r) => !r.refused),
      random,
    );
    expect(refused.length + rest.length).toBeGreaterThanOrEqual(5_000);

    const counts = await rowCounts(api);
    const bystander = await tenantDigest(api, other.organizationId);
    const refusals = await run(api, owner, refused);
    expect(report(refusals)).toEqual([]);
    expect(await rowCounts(api)).toEqual(counts);

    // Odd but possibly valid values (and reads) may be taken: never a 5xx, and never across tenants.
    const others = await run(api, owner, rest);
    expect(report(others)).toEqual([]);
    expect(await tenantDigest(api, other.organizationId)).toEqual(bystander);
    expect(new Set(refusals.map((o) => o.status))).not.toContain(500);
  });
});
