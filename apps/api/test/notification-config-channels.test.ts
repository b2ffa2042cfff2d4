import { openDocument } from "@upfleet/secrets";
import { describe, expect } from "vitest";
import type { TestUser } from "./support/accounts.ts";
import { apiTest } from "./support/fixtures.ts";
import { detailPaths, expectError, tableCounts } from "./support/security.ts";
import type { TestApi, TestResponse } from "./support/test-api.ts";

const CHANNELS = "/api/v1/notifications/channels";

/** The channel as stored, opened with ENCRYPTION_KEY: what the sender reads. */
const stored = async (api: TestApi, id: string) => {
  const row = await api.deps.db.notificationChannel.findUnique({ where: { id } });
  return row && { ...row, config: openDocument(row.config, api.deps.keyring) };
};

/** `post`, `get`, `patch` and `remove` call the channel routes as the owner (or `user`). */
const it = apiTest({
  OPEN_SIGNUP: "true",
  OUTBOUND_ALLOW_CIDRS: "10.20.0.0/16",
  RATE_LIMIT_PER_MINUTE: "100000",
  RATE_LIMIT_PER_HOUR: "100000",
}).extend<{
  post: (body: unknown, user?: TestUser) => Promise<TestResponse>;
  get: (id: string, user?: TestUser) => Promise<TestResponse>;
  patch: (id: string, body: unknown) => Promise<TestResponse>;
  remove: (id: string) => Promise<TestResponse>;
}>({
  post: async ({ api, owner }, use) =>
    use((body, user = owner) => api.request("POST", CHANNELS, { auth: user.token, body })),
  get: async ({ api, owner }, use) =>
    use((id, user = owner) => api.request("GET", `${CHANNELS}/${id}`, { auth: user.token })),
  patch: async ({ api, owner }, use) =>
    use((id, body) => api.request("PATCH", `${CHANNELS}/${id}`, { auth: owner.token, body })),
  remove: async ({ api, owner }, use) => use((id) => api.request("DELETE", `${CHANNELS}/${id}`, { auth: owner.token })),
});
// A "LAN" opened to channels, as an operator would; loopback and every other private range stay shut.
const slack = {
  name: "Ops Slack",
  type: "slack",
  config: { webhook_url: "https://hooks.slack.com/services/T0/B0/XyZ" },
};
const email = { name: "Ops mail", type: "email", config: { to: ["ops@example.com", "oncall@example.com"] } };
const webhook = (config: Record<string, unknown> = {}) => ({
  name: "Receiver",
  type: "webhook",
  config: { url: "https://receiver.example.com/hooks/upfleet?token=abc", ...config },
});

describe("channels", () => {
  it("creates a webhook with a generated whsec_ secret shown once, then masked on every read", async ({
    api,
    owner,
    post,
    get,
  }) => {
    const created = await post(webhook());
    expect(created.status, created.text).toBe(201);
    const secret: string = created.body.config.secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), "base64")).toHaveLength(32);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^chn_[0-9a-z]{26}$/),
      key: null,
      name: "Receiver",
      type: "webhook",
      config: { url: "https://receiver.example.com/••••", secret },
      enabled: true,
      disabled_reason: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });

    const read = await get(created.body.id);
    expect(read.body.config).toEqual({
      url: "https://receiver.example.com/••••",
      secret: `whsec_••••${secret.slice(-4)}`,
    });
    const list = await api.request("GET", CHANNELS, { auth: owner.token });
    expect(list.text).not.toContain(secret);
    expect(list.text).not.toContain("token=abc");
    // What the sender gets is what was written.
    expect((await stored(api, created.body.id))?.config).toEqual({
      url: "https://receiver.example.com/hooks/upfleet?token=abc",
      secret,
    });
  });

  it("never echoes a secret the client gave", async ({ api, post }) => {
    const created = await post(webhook({ secret: "my-shared-secret-0001" }));
    expect(created.status, created.text).toBe(201);
    // A typed secret shows no tail (only a generated whsec_ one does).
    expect(created.body.config.secret).toBe("••••");
    expect((await stored(api, created.body.id))?.config).toMatchObject({
      secret: "my-shared-secret-0001",
    });
  });

  it("creates slack, discord and email channels; webhook URLs masked, addresses readable", async ({ post, get }) => {
    const s = await post(slack);
    const d = await post({
      ...slack,
      name: "Discord",
      type: "discord",
      config: { webhook_url: "https://discord.com/api/webhooks/1/t" },
    });
    const e = await post({ ...email, enabled: false });
    expect([s.status, d.status, e.status]).toEqual([201, 201, 201]);
    expect(s.body.config).toEqual({ webhook_url: "https://hooks.slack.com/••••" });
    expect(d.body.config).toEqual({ webhook_url: "https://discord.com/••••" });
    expect(e.body).toMatchObject({ config: { to: ["ops@example.com", "oncall@example.com"] }, enabled: false });
    expect((await get(s.body.id)).body).toEqual(s.body);
  });

  it("accepts a private address the deployment opened with OUTBOUND_ALLOW_CIDRS", async ({ post }) => {
    const res = await post(webhook({ url: "http://10.20.3.4:8080/hook" }));
    expect(res.status, res.text).toBe(201);
  });

  it("refuses bad input with a 400 naming each problem, and stores nothing", async ({ api, post }) => {
    const cases: [unknown, string[]][] = [
      [{ ...slack, type: "pager" }, ["type"]],
      [{ name: "x", config: {} }, ["type"]],
      // A config of another type: its fields are named, and the missing ones too.
      [{ ...slack, type: "webhook" }, ["config.url", "config.webhook_url"]],
      [{ ...email, type: "slack" }, ["config.to", "config.webhook_url"]],
      [webhook({ url: "ftp://files.example.com/x" }), ["config.url"]],
      [webhook({ url: "javascript:alert(1)" }), ["config.url"]],
      [{ ...slack, config: { webhook_url: "not a url" } }, ["config.webhook_url"]],
      [webhook({ url: "http://127.0.0.1:3000/hook" }), ["config.url"]],
      [webhook({ url: "http://localhost:3000/hook" }), ["config.url"]],
      [webhook({ url: "http://169.254.169.254/latest/meta-data/" }), ["config.url"]],
      [webhook({ url: "http://[::ffff:10.30.0.1]/hook" }), ["config.url"]],
      [{ ...slack, config: { webhook_url: "https://192.168.1.10/services/x" } }, ["config.webhook_url"]],
      [webhook({ secret: "short" }), ["config.secret"]],
      [webhook({ secret: "whsec_not*base64*at*all" }), ["config.secret"]],
      [{ ...email, config: { to: [] } }, ["config.to"]],
      [{ ...email, config: { to: ["ops@example.com", "not-an-address"] } }, ["config.to.1"]],
      [{ ...email, config: { to: Array.from({ length: 21 }, (_, i) => `u${i}@example.com`) } }, ["config.to"]],
      [{ ...email, config: "ops@example.com" }, ["config"]],
      [{ ...email, name: "" }, ["name"]],
      [{ ...email, id: "chn_mine" }, ["id"]],
      [{ ...email, disabled_reason: "x" }, ["disabled_reason"]],
    ];
    const before = await tableCounts(api);
    for (const [body, paths] of cases) {
      const res = await post(body);
      expectError(res, 400, "validation_error");
      expect(detailPaths(res), JSON.stringify(body)).toEqual(paths);
    }
    expect(await tableCounts(api)).toEqual(before);
  });

  it("says why a URL is refused", async ({ post }) => {
    const res = await post(webhook({ url: "http://localhost:3000/hook" }));
    expect(res.body.details[0].message).toMatch(/localhost is an internal name.*INTERNAL_DNS_ALLOW_SUFFIXES/);
    const literal = await post(webhook({ url: "http://10.30.0.1/hook" }));
    expect(literal.body.details[0].message).toMatch(/10\.30\.0\.1 is a private address/);
  });
});

describe("PATCH a channel", () => {
  it("merges config: a new URL keeps the secret, a new secret keeps the URL", async ({ api, post, patch }) => {
    const created = await post(webhook());
    const secret = created.body.config.secret;
    const moved = await patch(created.body.id, { config: { url: "https://new.example.com/hook" } });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.config).toEqual({ url: "https://new.example.com/••••", secret: `whsec_••••${secret.slice(-4)}` });
    const rotated = await patch(created.body.id, { name: "Renamed", config: { secret: "rotated-secret-9999" } });
    expect(rotated.body).toMatchObject({ name: "Renamed", config: { secret: "••••" } });
    expect((await stored(api, created.body.id))?.config).toEqual({
      url: "https://new.example.com/hook",
      secret: "rotated-secret-9999",
    });
  });

  it("refuses another type's config, a type change and refused URLs, changing nothing", async ({
    api,
    post,
    patch,
  }) => {
    const created = await post(webhook());
    const before = await stored(api, created.body.id);
    const cases: [unknown, string[]][] = [
      [{ config: { webhook_url: "https://hooks.slack.com/x" } }, ["config.webhook_url"]],
      [{ type: "slack" }, ["type"]],
      [{ config: { url: "http://127.0.0.1/x" } }, ["config.url"]],
      [{ config: { secret: null } }, ["config.secret"]],
      [{ enabled: "yes" }, ["enabled"]],
      [{ disabled_reason: null }, ["disabled_reason"]],
    ];
    for (const [body, paths] of cases) {
      const res = await patch(created.body.id, body);
      expectError(res, 400, "validation_error");
      expect(detailPaths(res), JSON.stringify(body)).toEqual(paths);
    }
    expect(await stored(api, created.body.id)).toEqual(before);
  });

  it("re-enabling a channel the system disabled clears disabled_reason", async ({ api, post, get, patch }) => {
    const created = await post(email);
    // As the sender does on a 410.
    await api.deps.db.notificationChannel.update({
      where: { id: created.body.id },
      data: { enabled: false, disabledReason: "the receiver answered 410 Gone" },
    });
    expect((await get(created.body.id)).body).toMatchObject({
      enabled: false,
      disabled_reason: "the receiver answered 410 Gone",
    });
    expect((await patch(created.body.id, { name: "Still off" })).body).toMatchObject({
      enabled: false,
      disabled_reason: "the receiver answered 410 Gone",
    });
    expect((await patch(created.body.id, { enabled: true })).body).toMatchObject({
      enabled: true,
      disabled_reason: null,
    });
  });
});

describe("DELETE a channel", () => {
  it("hides it from reads and lists, and it can no longer be referenced", async ({ api, owner, post, get, remove }) => {
    const created = await post(email);
    expect((await remove(created.body.id)).status).toBe(204);
    expectError(await get(created.body.id), 404, "not_found");
    expectError(await remove(created.body.id), 404, "not_found");
    const list = await api.request("GET", `${CHANNELS}?limit=200`, { auth: owner.token });
    expect(list.body.data.map((c: { id: string }) => c.id)).not.toContain(created.body.id);
    const rule = await api.request("POST", "/api/v1/notifications/rules", {
      auth: owner.token,
      body: { name: "r", channel_ids: [created.body.id] },
    });
    expectError(rule, 404, "not_found");
    expect(rule.body.message).toContain(created.body.id);
  });

  it("is a 409 naming the rules and policies still using it, until they stop", async ({
    api,
    owner,
    post,
    get,
    remove,
  }) => {
    const channel = (await post(email)).body.id;
    const spare = (await post(email)).body.id;
    const rule = await api.request("POST", "/api/v1/notifications/rules", {
      auth: owner.token,
      body: { name: "Pager rule", channel_ids: [channel, spare] },
    });
    const policy = await api.request("POST", "/api/v1/escalation-policies", {
      auth: owner.token,
      body: {
        name: "Night",
        steps: [
          { delay_minutes: 0, channel_ids: [spare] },
          { delay_minutes: 10, channel_ids: [channel] },
        ],
      },
    });
    expect([rule.status, policy.status]).toEqual([201, 201]);

    const refused = await remove(channel);
    expectError(refused, 409, "conflict");
    expect(refused.body.message).toContain(`rule ${rule.body.id} (Pager rule)`);
    expect(refused.body.message).toContain(`escalation policy ${policy.body.id} (Night)`);
    expect((await get(channel)).status).toBe(200);

    await api.request("PATCH", `/api/v1/notifications/rules/${rule.body.id}`, {
      auth: owner.token,
      body: { channel_ids: [spare] },
    });
    const stillPolicy = await remove(channel);
    expectError(stillPolicy, 409, "conflict");
    expect(stillPolicy.body.message).not.toContain(rule.body.id);
    await api.request("PATCH", `/api/v1/escalation-policies/${policy.body.id}`, {
      auth: owner.token,
      body: { steps: [{ delay_minutes: 0, channel_ids: [spare] }] },
    });
    expect((await remove(channel)).status).toBe(204);
  });
});

describe("GET /notifications/channels", () => {
  it("lists the caller's channels newest first, a page at a time", async ({ api, other, post }) => {
    const mine = [];
    for (let i = 0; i < 3; i++) mine.push((await post({ ...email, name: `page ${i}` }, other)).body.id);
    const first = await api.request("GET", `${CHANNELS}?limit=2`, { auth: other.token });
    expect(first.body.data.map((c: { id: string }) => c.id)).toEqual([mine[2], mine[1]]);
    const second = await api.request("GET", `${CHANNELS}?limit=2&cursor=${first.body.next_cursor}`, {
      auth: other.token,
    });
    expect(second.body).toEqual({ data: [expect.objectContaining({ id: mine[0] })], next_cursor: null });
    expectError(await api.request("GET", `${CHANNELS}?limit=0`, { auth: other.token }), 400, "validation_error");
  });
});
