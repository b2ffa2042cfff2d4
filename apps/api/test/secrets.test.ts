import { type Receiver, startReceiver, verifyWebhook } from "@upfleet/delivery/testing";
import { ScheduleStore } from "@upfleet/queue";
import { waitFor } from "@upfleet/testing";
import { closedAfterFile } from "@upfleet/testing/fixtures";
import { describe, expect } from "vitest";
import { apiTest } from "./support/fixtures.ts";
import type { TestApi, TestResponse } from "./support/test-api.ts";

/** Credentials at rest and on read (issue #11 items 7, 17, 18; API.md "Credentials in monitors"). */

/**
 * A webhook receiver on loopback, which the file's API may reach; `created`, the owner's answer to a
 * monitor with credentials (`monitorBody`), and `patch`, a PATCH of a monitor as the owner.
 */
const it = apiTest({ OUTBOUND_ALLOW_CIDRS: "127.0.0.0/8" }).extend<{
  receiver: Receiver;
  created: TestResponse;
  patch: (id: string, body: unknown) => Promise<TestResponse>;
}>({
  created: async ({ api, owner }, use) => {
    const created = await api.request("POST", "/api/v1/monitors", { auth: owner.token, body: monitorBody });
    expect(created.status, created.text).toBe(201);
    await use(created);
  },
  patch: async ({ api, owner }, use) =>
    use((id, body) => api.request("PATCH", `/api/v1/monitors/${id}`, { auth: owner.token, body })),
  receiver: closedAfterFile(startReceiver),
});
const TOKEN = "Bearer live-token-0123456789-abcd";
const PASSWORD = "hunter2-pa55";
const SECRET = "typed-shared-secret-7777";

const monitorBody = {
  type: "http",
  name: "private api",
  url: `https://admin:${PASSWORD}@api.example.com/health`,
  http_headers: { Authorization: TOKEN, "X-Team": "ops" },
};
const MASKED = {
  url: "https://••••@api.example.com/health",
  http_headers: { Authorization: "••••abcd", "X-Team": "••••" },
};

/** What the dispatcher enqueues for the worker: the schedule entry's spec. */
async function scheduledSpec(api: TestApi, monitorId: string) {
  const store = new ScheduleStore(api.deps.redis, api.redis.prefix);
  const due = await store.peekDue(Number.MAX_SAFE_INTEGER, 10_000);
  return due.find((d) => d.entry.monitorId === monitorId)?.entry.spec as Record<string, unknown> | undefined;
}

describe("monitor credentials", () => {
  it("are encrypted at rest, masked for every role, and real in the worker's spec", async ({
    api,
    owner,
    viewer,
    created,
  }) => {
    expect(created.body).toMatchObject(MASKED);
    const id = created.body.id as string;

    const [row] = await api.deps.db.$queryRaw<{ settings: string }[]>`
      SELECT settings::text AS settings FROM monitors WHERE id = ${id}`;
    expect(row!.settings).not.toContain(PASSWORD);
    expect(row!.settings).not.toContain("live-token-0123456789");
    expect(row!.settings).toContain("enc:v1:");

    for (const user of [owner, viewer]) {
      const read = await api.request("GET", `/api/v1/monitors/${id}`, { auth: user.token });
      expect(read.status, read.text).toBe(200);
      expect(read.body).toMatchObject(MASKED);
      expect(read.text).not.toContain(PASSWORD);
      const list = await api.request("GET", "/api/v1/monitors", { auth: user.token });
      expect(list.text).not.toContain(PASSWORD);
      expect(list.text).not.toContain("live-token");
    }

    expect(await scheduledSpec(api, id)).toMatchObject({ url: monitorBody.url, headers: monitorBody.http_headers });
  });

  it("survive GET → edit name → PATCH of the whole object; a masked value that is not theirs is a 400", async ({
    api,
    owner,
    created,
    patch,
  }) => {
    const id = created.body.id as string;
    const read = await api.request("GET", `/api/v1/monitors/${id}`, { auth: owner.token });
    const { url, http_headers, http_method, interval_seconds } = read.body;
    const edited = { ...http_headers, "X-Team": "dev" };
    const patched = await patch(id, { name: "renamed", url, http_headers: edited, http_method, interval_seconds });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.http_headers).toEqual({ Authorization: "••••abcd", "X-Team": "••••" });
    await waitFor(async () => (await scheduledSpec(api, id))?.headers !== undefined);
    expect(await scheduledSpec(api, id)).toMatchObject({
      url: monitorBody.url,
      headers: { Authorization: TOKEN, "X-Team": "dev" },
    });

    const wrong = await patch(id, { http_headers: { Authorization: "••••zzzz" } });
    expect(wrong.status, wrong.text).toBe(400);
    expect(wrong.text).toContain("http_headers.Authorization");
  });

  it("are not kept when the monitor is pointed elsewhere (an editor could collect them): they must be sent again", async ({
    api,
    created,
    patch,
  }) => {
    const id = created.body.id as string;
    const moved = await patch(id, { url: "https://collector.example.net/health" });
    expect(moved.status, moved.text).toBe(400);
    expect(moved.body.details.map((d: { path: string }) => d.path).sort()).toEqual([
      "http_headers.Authorization",
      "http_headers.X-Team",
    ]);
    expect(await scheduledSpec(api, id)).toMatchObject({ url: monitorBody.url, headers: monitorBody.http_headers });
    const resent = await patch(id, { url: "https://collector.example.net/health", http_headers: { "X-Team": "ops" } });
    expect(resent.status, resent.text).toBe(200);
    await waitFor(async () => (await scheduledSpec(api, id))?.url === "https://collector.example.net/health");
    expect(await scheduledSpec(api, id)).toMatchObject({ headers: { "X-Team": "ops" } });
  });
});

describe("channel secrets", () => {
  it("are encrypted at rest, masked without a tail when typed, and real for the receiver", async ({
    api,
    owner,
    receiver,
  }) => {
    const url = `${receiver.url}/secret-hook?token=abc`;
    const created = await api.request("POST", "/api/v1/notifications/channels", {
      auth: owner.token,
      body: { name: "hook", type: "webhook", config: { url, secret: SECRET } },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.config.secret).toBe("••••");
    const id = created.body.id as string;
    const [row] = await api.deps.db.$queryRaw<{ config: string }[]>`
      SELECT config::text AS config FROM notification_channels WHERE id = ${id}`;
    expect(row!.config).not.toContain(SECRET);
    expect(row!.config).not.toContain("token=abc");

    const read = await api.request("GET", `/api/v1/notifications/channels/${id}`, { auth: owner.token });
    expect(read.body.config).toEqual({ url: `${receiver.url}/••••`, secret: "••••" });

    const sent = await api.request("POST", `/api/v1/notifications/channels/${id}/test`, { auth: owner.token });
    expect(sent.status, sent.text).toBe(200);
    const [request] = receiver.at("/secret-hook?token=abc");
    expect(request, JSON.stringify(receiver.requests.map((r) => r.path))).toBeDefined();
    expect(() => verifyWebhook(SECRET, request!)).not.toThrow();

    // GET → rename → PATCH with the masked config read back keeps the URL and the secret.
    const patched = await api.request("PATCH", `/api/v1/notifications/channels/${id}`, {
      auth: owner.token,
      body: { name: "renamed", config: read.body.config },
    });
    expect(patched.status, patched.text).toBe(200);
    const again = await api.request("POST", `/api/v1/notifications/channels/${id}/test`, { auth: owner.token });
    expect(again.status, again.text).toBe(200);
    await waitFor(() => receiver.at("/secret-hook?token=abc").length === 2);
    expect(() => verifyWebhook(SECRET, receiver.at("/secret-hook?token=abc")[1]!)).not.toThrow();
  });
});
