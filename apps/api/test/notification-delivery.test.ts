import {
  type Receiver,
  type SmtpReceiver,
  startReceiver,
  startSmtpReceiver,
  verifyWebhook,
} from "@upfleet/delivery/testing";
import { newId } from "@upfleet/ids";
import { type FileFixtures, sharedFixtures, type TestFixtures } from "@upfleet/testing/fixtures";
import { test as base, describe, expect } from "vitest";
import { addUser, signupOwner, type TestUser } from "./support/accounts.ts";
import { expectError } from "./support/security.ts";
import { startTestApi, type TestApi, type TestResponse } from "./support/test-api.ts";

const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

/** The file's API, sending to its own webhook and SMTP receivers, with its accounts and helpers. */
interface Delivery {
  api: TestApi;
  owner: TestUser;
  other: TestUser;
  viewer: TestUser;
  receiver: Receiver;
  smtp: SmtpReceiver;
  createChannel: (user: TestUser, body: object) => Promise<{ id: string; secret?: string }>;
  /** A webhook channel of `user`'s (the owner's by default) posting to `path` on the receiver. */
  webhook: (path: string, user?: TestUser) => Promise<{ id: string; secret?: string }>;
  testSend: (channelId: string, user?: TestUser) => Promise<TestResponse>;
  /** Attempts as the worker records them, straight into the table; the last one succeeded. */
  attempts: (user: TestUser, channelId: string, incidentId: string | null, count: number) => Promise<string[]>;
}

/** `n`, started for the file (vitest's test with the shared fixtures: its API needs the SMTP URL first). */
const it = base.extend<FileFixtures & TestFixtures & { n: Delivery }>({
  ...sharedFixtures,
  n: [
    async ({ database, redis }, use) => {
      const [receiver, smtp] = await Promise.all([startReceiver(), startSmtpReceiver()]);
      const api = await startTestApi(
        {
          OPEN_SIGNUP: "true",
          OUTBOUND_ALLOW_CIDRS: "127.0.0.0/8",
          SMTP_URL: smtp.url,
          RATE_LIMIT_PER_MINUTE: "100000",
          RATE_LIMIT_PER_HOUR: "100000",
        },
        { database, redis },
      );
      const owner = await signupOwner(api, "owner");
      const [other, viewer] = await Promise.all([signupOwner(api, "other"), addUser(api, owner, "viewer")]);
      const createChannel: Delivery["createChannel"] = async (user, body) => {
        const res = await api.request("POST", "/api/v1/notifications/channels", { auth: user.token, body });
        expect(res.status, res.text).toBe(201);
        return { id: res.body.id, secret: res.body.config.secret };
      };
      await use({
        ...{ api, owner, other, viewer, receiver, smtp, createChannel },
        webhook: (path, user = owner) =>
          createChannel(user, { name: `hook ${path}`, type: "webhook", config: { url: `${receiver.url}${path}` } }),
        testSend: (channelId, user = owner) =>
          api.request("POST", `/api/v1/notifications/channels/${channelId}/test`, { auth: user.token }),
        attempts: async (user, channelId, incidentId, count) => {
          const ids: string[] = [];
          for (let attempt = 1; attempt <= count; attempt++) {
            const id = newId("delivery");
            ids.push(id);
            await api.deps.db.notificationDelivery.create({
              data: {
                id,
                organizationId: user.organizationId,
                channelId,
                incidentId,
                event: "monitor.down",
                attempt,
                status: attempt === count ? "succeeded" : "failed",
                responseStatus: attempt === count ? 200 : 503,
                error: attempt === count ? null : "HTTP 503",
                durationMs: 12,
              },
            });
          }
          return ids;
        },
      });
      await api.close();
      await receiver.close();
      await smtp.close();
    },
    { scope: "file" },
  ],
});

describe("POST /notifications/channels/:id/test", () => {
  it("sends a signed test event through the real sender and returns the recorded delivery", async ({ n }) => {
    const { api, viewer, receiver, webhook, testSend } = n;
    const channel = await webhook("/test-ok");
    const res = await testSend(channel.id);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^dlv_[0-9a-z]{26}$/),
      channel_id: channel.id,
      incident_id: null,
      notification_id: null,
      event: "test",
      attempt: 1,
      status: "succeeded",
      response_status: 200,
      error: null,
      duration_ms: expect.any(Number),
      created_at: ISO,
    });

    const [request] = receiver.at("/test-ok");
    expect(request!.headers["x-upfleet-event"]).toBe("test");
    expect(request!.headers["webhook-id"]).toBe(res.body.id);
    expect(verifyWebhook(channel.secret!, request!)).toMatchObject({
      event: "test",
      test: true,
      monitor: { name: "Example monitor" },
    });

    const list = await api.request("GET", `/api/v1/notifications/deliveries?channel_id=${channel.id}`, {
      auth: viewer.token,
    });
    expect(list.body).toEqual({ data: [res.body], next_cursor: null });
  });

  it("reports a failing receiver without retrying it", async ({ n }) => {
    const { api, receiver, webhook, testSend } = n;
    const channel = await webhook("/test-500");
    receiver.always("/test-500", { status: 500 });
    const res = await testSend(channel.id);
    expect(res.body).toMatchObject({ status: "failed", response_status: 500, error: "HTTP 500" });
    expect(receiver.at("/test-500")).toHaveLength(1);
    expect(await api.deps.db.notificationDelivery.count({ where: { channelId: channel.id } })).toBe(1);
  });

  it("tests a disabled channel, and a 410 during a test disables nothing", async ({ n }) => {
    const { api, owner, receiver, webhook, testSend } = n;
    const channel = await webhook("/test-gone");
    const patch = await api.request("PATCH", `/api/v1/notifications/channels/${channel.id}`, {
      auth: owner.token,
      body: { enabled: false },
    });
    expect(patch.status, patch.text).toBe(200);
    receiver.always("/test-gone", { status: 410 });
    expect((await testSend(channel.id)).body).toMatchObject({ status: "failed", response_status: 410 });
    await api.request("PATCH", `/api/v1/notifications/channels/${channel.id}`, {
      auth: owner.token,
      body: { enabled: true },
    });
    expect((await testSend(channel.id)).body).toMatchObject({ status: "failed", response_status: 410 });
    const stored = await api.deps.db.notificationChannel.findUniqueOrThrow({ where: { id: channel.id } });
    expect(stored).toMatchObject({ enabled: true, disabledReason: null });
  });

  it("sends a test email", async ({ n }) => {
    const { owner, smtp, createChannel, testSend } = n;
    const channel = await createChannel(owner, { name: "mail", type: "email", config: { to: ["ops@example.com"] } });
    const res = await testSend(channel.id);
    expect(res.body).toMatchObject({ status: "succeeded", response_status: null, error: null });
    expect(smtp.messages.at(-1)).toMatchObject({
      to: ["ops@example.com"],
      raw: expect.stringContaining("Test notification"),
    });
  });

  it("is 404 for another tenant's channel and for a deleted one, recording nothing", async ({ n }) => {
    const { api, owner, other, receiver, webhook, testSend } = n;
    const theirs = await webhook("/test-theirs", other);
    expectError(await testSend(theirs.id), 404, "not_found");
    const mine = await webhook("/test-deleted");
    expect(
      (await api.request("DELETE", `/api/v1/notifications/channels/${mine.id}`, { auth: owner.token })).status,
    ).toBe(204);
    expectError(await testSend(mine.id), 404, "not_found");
    expect(receiver.at("/test-theirs")).toHaveLength(0);
    expect(receiver.at("/test-deleted")).toHaveLength(0);
    expect(await api.deps.db.notificationDelivery.count({ where: { channelId: { in: [theirs.id, mine.id] } } })).toBe(
      0,
    );
  });
});

describe("GET /notifications/deliveries", () => {
  it("lists attempts newest first, filtered by channel or incident, page by page", async ({ n }) => {
    const { api, owner, webhook, attempts } = n;
    const a = await webhook("/list-a");
    const b = await webhook("/list-b");
    const incident = newId("incident");
    const ofA = await attempts(owner, a.id, incident, 3);
    const ofB = await attempts(owner, b.id, null, 2);

    const byChannel = await api.request("GET", `/api/v1/notifications/deliveries?channel_id=${a.id}`, {
      auth: owner.token,
    });
    expect(byChannel.body.data.map((d: { id: string }) => d.id)).toEqual([...ofA].reverse());
    expect(byChannel.body.data[2]).toMatchObject({
      attempt: 1,
      status: "failed",
      response_status: 503,
      incident_id: incident,
    });

    const byIncident = await api.request("GET", `/api/v1/notifications/deliveries?incident_id=${incident}`, {
      auth: owner.token,
    });
    expect(byIncident.body.data).toHaveLength(3);

    const first = await api.request("GET", "/api/v1/notifications/deliveries?limit=2", { auth: owner.token });
    expect(first.body.data.map((d: { id: string }) => d.id)).toEqual([ofB[1], ofB[0]]);
    const second = await api.request(
      "GET",
      `/api/v1/notifications/deliveries?limit=2&cursor=${first.body.next_cursor}`,
      {
        auth: owner.token,
      },
    );
    expect(second.body.data.map((d: { id: string }) => d.id)).toEqual([ofA[2], ofA[1]]);
  });

  it("shows nothing of another tenant, even when asked for its ids", async ({ n }) => {
    const { api, owner, other, webhook, attempts } = n;
    const theirs = await webhook("/list-theirs", other);
    const incident = newId("incident");
    await attempts(other, theirs.id, incident, 1);
    for (const query of [`channel_id=${theirs.id}`, `incident_id=${incident}`, `channel_id=${newId("channel")}`]) {
      const res = await api.request("GET", `/api/v1/notifications/deliveries?${query}`, { auth: owner.token });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({ data: [], next_cursor: null });
    }
  });

  it("refuses bad filters and cursors with 400", async ({ n }) => {
    const { api, owner } = n;
    for (const query of ["cursor=nope", "limit=0", "limit=500", "channel_id=", "colour=red"]) {
      const res = await api.request("GET", `/api/v1/notifications/deliveries?${query}`, { auth: owner.token });
      expectError(res, 400, "validation_error");
    }
  });
});
