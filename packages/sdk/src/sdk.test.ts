import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { test } from "@upfleet/api/test/support/fixtures.ts";
import { expect, it as plain } from "vitest";
import { createClient, UpfleetError } from "./index.ts";

const PACKAGE = path.join(import.meta.dirname, "..");

plain(
  "the committed schema.d.ts and enums.json are what `generate` writes from the API's routes today",
  async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "upfleet-sdk-"));
    try {
      await promisify(execFile)(process.execPath, ["--import", "tsx", "src/cli/generate.ts", dir], { cwd: PACKAGE });
      for (const file of ["schema.d.ts", "enums.json"]) {
        const committed = await readFile(path.join(PACKAGE, "src", file), "utf8");
        // Not toEqual on the whole text: a diff of 10,000 lines says less than the hint.
        expect(
          (await readFile(path.join(dir, file), "utf8")) === committed,
          `${file} is stale: run \`pnpm --filter @upfleet/sdk generate\``,
        ).toBe(true);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
  120_000,
);

test("an API key made through the SDK lists every monitor across pages", async ({ api, owner }) => {
  const session = createClient({ baseUrl: api.url, token: owner.token });
  const key = await session.keys.create({ name: "sdk test", scopes: ["monitors:read", "monitors:write"] });
  const requests: string[] = [];
  const client = createClient({
    baseUrl: api.url,
    apiKey: key.raw_key,
    fetch: (request) => {
      requests.push(new URL(request.url).search);
      return fetch(request);
    },
  });
  const created = [];
  for (let i = 0; i < 5; i++) {
    created.push(await client.monitors.create({ type: "http", name: `site ${i}`, url: `https://example.com/${i}` }));
  }
  const first = created[0]!;
  expect(first.type === "http" && first.url).toBe("https://example.com/0");

  requests.length = 0;
  const listed = [];
  for await (const monitor of client.monitors.list({ limit: 2 })) listed.push(monitor.id);
  expect(listed.toSorted()).toEqual(created.map((m) => m.id).toSorted());
  expect(requests).toHaveLength(3);
  expect(requests.slice(1).every((search) => search.includes("cursor="))).toBe(true);
});

test("channels, rules and incidents list across pages", async ({ api, owner }) => {
  const client = createClient({ baseUrl: api.url, token: owner.token });
  const channels = [];
  for (let i = 0; i < 3; i++) {
    channels.push(
      await client.api
        .POST("/api/v1/notifications/channels", {
          body: { type: "webhook", name: `hook ${i}`, config: { url: `https://example.com/hook/${i}` } },
        })
        .then(({ data }) => data!),
    );
  }
  const rules = [];
  for (const channel of channels) {
    rules.push(
      await client.api
        .POST("/api/v1/notifications/rules", { body: { name: `to ${channel.name}`, channel_ids: [channel.id] } })
        .then(({ data }) => data!),
    );
  }
  const ids = async (items: AsyncIterable<{ id: string }>) => {
    const listed = [];
    for await (const item of items) listed.push(item.id);
    return listed.toSorted();
  };
  expect(await ids(client.channels.list({ limit: 2 }))).toEqual(channels.map((c) => c.id).toSorted());
  expect(await ids(client.rules.list({ limit: 2 }))).toEqual(rules.map((r) => r.id).toSorted());
  expect(await ids(client.incidents.list({ limit: 2 }))).toEqual([]);
});

test("an invalid request throws an UpfleetError with the API's code, details and request id", async ({
  api,
  owner,
}) => {
  const client = createClient({ baseUrl: api.url, token: owner.token });
  const error = await client.monitors.create({ type: "http", name: "no url" } as never).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UpfleetError);
  expect(error).toMatchObject({ status: 400, error: "validation_error", requestId: expect.any(String) });
  expect((error as UpfleetError).details.map((d) => d.path)).toContain("url");
});

test("a 429 is sent again after its Retry-After, and one that asks too long a wait is thrown", async ({
  api,
  owner,
}) => {
  let refusals = 1;
  const refusing = (retryAfter: string) => async (request: Request) => {
    if (refusals-- > 0) return new Response("{}", { status: 429, headers: { "Retry-After": retryAfter } });
    return fetch(request);
  };
  const patient = createClient({ baseUrl: api.url, token: owner.token, fetch: refusing("0") });
  const monitor = await patient.monitors.create({ type: "tcp", name: "db", host: "db.example.com", tcp_port: 5432 });
  expect(monitor.name).toBe("db");

  refusals = 1;
  const hurried = createClient({ baseUrl: api.url, token: owner.token, fetch: refusing("120") });
  await expect(hurried.monitors.get(monitor.id)).rejects.toMatchObject({ status: 429 });
});
