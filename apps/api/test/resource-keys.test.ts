import { randomBytes } from "node:crypto";
import { describe, expect } from "vitest";
import type { TestUser } from "./support/accounts.ts";
import { expectError, expectInvalid } from "./support/security.ts";
import { newMonitor, test } from "./support/tenants.ts";
import type { TestApi, TestResponse } from "./support/test-api.ts";

/** What a resource's create body needs from the organization: a monitor and a channel of its own. */
interface Refs {
  monitor: string;
  channel: string;
}

interface Resource {
  name: string;
  path: string;
  body(refs: Refs): Record<string, unknown>;
}

const unique = () => randomBytes(4).toString("hex");

/** Every resource a monitors-as-code file manages, with a valid create body. */
const RESOURCES: Resource[] = [
  { name: "monitors", path: "/monitors", body: () => ({ type: "http", name: "site", url: "https://example.com/" }) },
  {
    name: "channels",
    path: "/notifications/channels",
    body: () => ({ type: "email", name: "ops", config: { to: ["ops@example.com"] } }),
  },
  {
    name: "escalation policies",
    path: "/escalation-policies",
    body: ({ channel }) => ({ name: "page", steps: [{ delay_minutes: 0, channel_ids: [channel] }] }),
  },
  { name: "rules", path: "/notifications/rules", body: ({ channel }) => ({ name: "all", channel_ids: [channel] }) },
  {
    name: "maintenance windows",
    path: "/maintenance-windows",
    body: ({ monitor }) => ({
      name: "upgrade",
      monitor_ids: [monitor],
      starts_at: "2030-01-01T00:00:00Z",
      ends_at: "2030-01-01T01:00:00Z",
    }),
  },
  {
    name: "status pages",
    path: "/status-pages",
    body: ({ monitor }) => ({
      name: "Status",
      slug: `s-${unique()}`,
      sections: [{ name: "All", monitor_ids: [monitor] }],
    }),
  },
];

/** A tenant's monitor and channel, made once per file and user. */
async function refsOf(api: TestApi, user: TestUser): Promise<Refs> {
  const channel = await api.request("POST", "/api/v1/notifications/channels", {
    auth: user.token,
    body: { type: "email", name: "refs", config: { to: ["refs@example.com"] } },
  });
  expect(channel.status, channel.text).toBe(201);
  return { monitor: await newMonitor(api, user), channel: channel.body.id };
}

/** `send` calls the API as the owner; `refs` are both tenants' monitor and channel. */
const it = test.extend<{
  refs: { owner: Refs; other: Refs };
  send: (method: string, path: string, body?: unknown) => Promise<TestResponse>;
}>({
  send: async ({ api, owner }, use) =>
    use((method, path, body) =>
      api.request(method, path, { auth: owner.token, ...(body === undefined ? {} : { body }) }),
    ),
  refs: [
    async ({ api, owner, other }, use) => use({ owner: await refsOf(api, owner), other: await refsOf(api, other) }),
    { scope: "file" },
  ],
});

describe.each(RESOURCES)("key on $name", ({ path, body }) => {
  const url = `/api/v1${path}`;

  it("is set on create, returned, unique per organization (409) and filterable", async ({ send, refs }) => {
    const key = `k-${unique()}`;

    const keyless = await send("POST", url, body(refs.owner));
    expect(keyless.status, keyless.text).toBe(201);
    expect(keyless.body.key).toBeNull();
    const created = await send("POST", url, { ...body(refs.owner), key });
    expect(created.status, created.text).toBe(201);
    expect(created.body.key).toBe(key);
    expect((await send("GET", `${url}/${created.body.id}`)).body.key).toBe(key);

    const duplicate = await send("POST", url, { ...body(refs.owner), key });
    expectError(duplicate, 409, "conflict");
    expect(duplicate.body.message).toContain(`"${key}"`);

    const listed = await send("GET", `${url}?key=${key}`);
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.data.map((item: { id: string }) => item.id)).toEqual([created.body.id]);
    expect((await send("GET", `${url}?key=none-${unique()}`)).body.data).toEqual([]);
    expectInvalid(await send("GET", `${url}?key=Not%20a%20key`), ["key"]);
    expectInvalid(await send("POST", url, { ...body(refs.owner), key: "-starts-with-a-dash" }), ["key"]);
  });

  it("is set, changed and cleared (null) by a PATCH; a taken one is a 409", async ({ send, refs }) => {
    const [first, second] = [`a-${unique()}`, `b-${unique()}`];
    const taken = await send("POST", url, { ...body(refs.owner), key: `taken-${unique()}` });
    const created = await send("POST", url, body(refs.owner));
    const item = `${url}/${created.body.id}`;

    expect((await send("PATCH", item, { key: first })).body.key).toBe(first);
    expect((await send("PATCH", item, { key: second })).body.key).toBe(second);
    expect((await send("GET", `${url}?key=${first}`)).body.data).toEqual([]);
    expectError(await send("PATCH", item, { key: taken.body.key }), 409, "conflict");
    expect((await send("GET", item)).body.key).toBe(second);

    const cleared = await send("PATCH", item, { key: null });
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.body.key).toBeNull();
    // Unchanged by a PATCH that leaves it out; a cleared key is free for another resource.
    expect((await send("PATCH", item, { name: "renamed" })).body.key).toBeNull();
    expect((await send("POST", url, { ...body(refs.owner), key: second })).status).toBe(201);
  });

  it("is free again once its resource is deleted", async ({ send, refs }) => {
    const key = `gone-${unique()}`;
    const created = await send("POST", url, { ...body(refs.owner), key });
    expect((await send("DELETE", `${url}/${created.body.id}`)).status).toBe(204);
    const again = await send("POST", url, { ...body(refs.owner), key });
    expect(again.status, again.text).toBe(201);
  });

  it("may be the same in another organization, and is filtered within the caller's", async ({
    api,
    owner,
    other,
    refs,
  }) => {
    const key = `shared-${unique()}`;
    const mine = await api.request("POST", url, { auth: owner.token, body: { ...body(refs.owner), key } });
    const theirs = await api.request("POST", url, { auth: other.token, body: { ...body(refs.other), key } });
    expect(mine.status, mine.text).toBe(201);
    expect(theirs.status, theirs.text).toBe(201);
    for (const [user, created] of [
      [owner, mine],
      [other, theirs],
    ] as const) {
      const listed = await api.request("GET", `${url}?key=${key}`, { auth: user.token });
      expect(listed.body.data.map((item: { id: string }) => item.id)).toEqual([created.body.id]);
    }
  });
});
