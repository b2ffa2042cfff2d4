import { randomBytes } from "node:crypto";
import type { Db, Prisma, SqlPool } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import { createLogger } from "@upfleet/logger";
import { bullPrefix, type JobQueue, type JobWorker, openQueue } from "@upfleet/queue";
import { generateKeyringText, parseKeyring } from "@upfleet/secrets";
import { type TestRedis, waitFor } from "@upfleet/testing";
import { closedAfterFile, test } from "@upfleet/testing/fixtures";
import { Redis } from "ioredis";
import { describe, expect } from "vitest";
import { type AttemptOutcome, runAttempt } from "./attempt.ts";
import { type AttemptStore, createAttemptStore, INTERRUPTED_ERROR, STALE_ATTEMPT_MS } from "./attempt-store.ts";
import { createSenders, type Senders } from "./senders.ts";
import { sweepPendingNotifications } from "./sweeper.ts";
import {
  type Receiver,
  type SmtpReceiver,
  startReceiver,
  startSmtpReceiver,
  verifyWebhook,
} from "./testing/receivers.ts";
import { startDeliveryWorker } from "./worker.ts";

const DELAYS = [100, 100, 100, 100, 100];
const PUBLIC_URL = "https://upfleet.example.com";
const keyring = parseKeyring(generateKeyringText("test"));
const SECRET = `whsec_${randomBytes(32).toString("base64")}`;

type ChannelType = "webhook" | "slack" | "discord" | "email";

function downPayload(name = "Website") {
  return {
    event: "monitor.down",
    monitor: { id: newId("monitor"), name, url: "https://example.com", type: "http" },
    status: { http_status: 503, response_ms: 5000, error: "timeout", region: "us-east" },
    incident: { id: newId("incident"), status: "investigating" },
    timestamp: new Date().toISOString(),
  };
}

const notificationRow = (db: Db, id: string) => db.notification.findUniqueOrThrow({ where: { id } });

/** The file-scoped parts of the file's delivery worker. */
interface Parts {
  store: AttemptStore;
  receiver: Receiver;
  smtp: SmtpReceiver;
  senders: Senders;
  connection: Redis;
  queue: JobQueue<"delivery">;
}

/** The helpers a test uses, with the file's stores and the worker's parts; see `it`. */
interface Delivery extends Parts {
  db: Db;
  sql: SqlPool;
  redis: TestRedis;
  organizationId: string;
  channel: (type: ChannelType, config: Prisma.InputJsonValue) => Promise<string>;
  webhook: (secret?: string | null) => Promise<{ path: string; id: string }>;
  notify: (channelId: string, options?: { payload?: object; queued?: boolean }) => Promise<string>;
  /** Runs one attempt of `job` in this process, on `store` unless another is given. */
  attempt: (job: { notificationId: string; attempt: number }, store?: AttemptStore) => Promise<AttemptOutcome>;
  /** Notifies a `type` channel posting to the receiver and returns the JSON body it received, once delivered. */
  chat: (type: "slack" | "discord") => Promise<{ text: string; content: string; blocks: unknown; embeds: unknown[] }>;
  /** A webhook channel and a pending notification to it that is not queued, with its first attempt's job. */
  unqueued: () => Promise<{
    hook: { path: string; id: string };
    id: string;
    job: { notificationId: string; attempt: number };
  }>;
  /** Writes the pending attempt row a worker leaves when it claims `notificationId`'s first attempt. */
  claim: (notificationId: string, channelId: string, createdAt?: Date) => Promise<void>;
  settled: (id: string, timeoutMs?: number) => Promise<Prisma.NotificationGetPayload<object>>;
  attemptsOf: (id: string) => Promise<Prisma.NotificationDeliveryGetPayload<object>[]>;
}

/**
 * The file's delivery worker on its own queue, with a webhook `receiver` and an `smtp` receiver to send
 * to. A test takes everything from `d`: `channel` and `webhook` (a path of its own on the receiver) seed
 * channels, `notify` a pending notification as the fan-out writes it (queued unless `queued: false`),
 * `settled` waits for one to leave pending and `attemptsOf` reads its attempts.
 */
const it = test.extend<Parts & { worker: JobWorker; d: Delivery }>({
  store: [async ({ sql }, use) => use(createAttemptStore(sql)), { scope: "file" }],
  receiver: closedAfterFile(startReceiver),
  smtp: closedAfterFile(startSmtpReceiver),
  senders: [
    async ({ smtp }, use) => {
      const senders = createSenders({ allowCidrs: ["127.0.0.0/8"], publicUrl: PUBLIC_URL, smtpUrl: smtp.url, keyring });
      await use(senders);
      senders.close();
    },
    { scope: "file" },
  ],
  connection: [
    async ({ redis }, use) => {
      const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
      await use(connection);
      connection.disconnect();
    },
    { scope: "file" },
  ],
  queue: [
    async ({ connection, redis }, use) => {
      const queue = openQueue("delivery", { connection, prefix: bullPrefix(redis.prefix) });
      await use(queue);
      await queue.close();
    },
    { scope: "file" },
  ],
  worker: [
    async ({ connection, redis, sql, senders, queue }, use) => {
      const worker = startDeliveryWorker({
        connection,
        prefix: bullPrefix(redis.prefix),
        sql,
        logger: createLogger("delivery-test", "silent"),
        senders,
        queue,
        delays: DELAYS,
        concurrency: 20,
        perChannelLimit: 3,
      });
      await use(worker);
      await worker.close();
    },
    { scope: "file" },
  ],
  // Names the worker so that every test has it running for the notifications it queues.
  d: async ({ db, sql, redis, organizationId, store, receiver, smtp, senders, connection, queue, worker: _ }, use) => {
    const channel: Delivery["channel"] = async (type, config) => {
      const id = newId("channel");
      await db.notificationChannel.create({ data: { id, organizationId, name: `${type} ${id}`, type, config } });
      return id;
    };
    const webhook: Delivery["webhook"] = async (secret = SECRET) => {
      const path = `/hook-${randomBytes(4).toString("hex")}`;
      const id = await channel("webhook", { url: `${receiver.url}${path}`, ...(secret ? { secret } : {}) });
      return { path, id };
    };
    const notify: Delivery["notify"] = async (channelId, options = {}) => {
      const payload = options.payload ?? downPayload();
      const id = newId("notification");
      await db.notification.create({
        data: {
          id,
          organizationId,
          channelId,
          dedupeKey: `${id}:${channelId}`,
          event: (payload as { event: string }).event,
          incidentId: (payload as { incident?: { id?: string } }).incident?.id ?? null,
          payload,
          nextAttemptAt: new Date(),
        },
      });
      if (options.queued !== false) await queue.enqueue({ notificationId: id, attempt: 1 });
      return id;
    };
    const settled: Delivery["settled"] = (id, timeoutMs = 10_000) =>
      waitFor(
        async () => {
          const row = await notificationRow(db, id);
          return row.status !== "pending" ? row : null;
        },
        { timeoutMs, what: `notification ${id} to settle` },
      );
    await use({
      ...{ db, sql, redis, organizationId, store, receiver, smtp, senders, connection, queue },
      ...{ channel, webhook, notify, settled },
      chat: async (type) => {
        const path = `/${type}-${randomBytes(4).toString("hex")}`;
        const id = await notify(await channel(type, { webhook_url: `${receiver.url}${path}` }));
        expect(await settled(id)).toMatchObject({ status: "succeeded" });
        return JSON.parse(receiver.at(path)[0]!.body);
      },
      unqueued: async () => {
        const hook = await webhook();
        const id = await notify(hook.id, { queued: false });
        return { hook, id, job: { notificationId: id, attempt: 1 } };
      },
      attempt: (job, other = store) => runAttempt({ store: other, senders, delays: DELAYS }, job),
      claim: async (notificationId, channelId, createdAt = new Date()) => {
        const row = { organizationId, notificationId, channelId, event: "monitor.down", attempt: 1 };
        await db.notificationDelivery.create({ data: { ...row, id: newId("delivery"), status: "pending", createdAt } });
      },
      attemptsOf: (id) =>
        db.notificationDelivery.findMany({ where: { notificationId: id }, orderBy: { attempt: "asc" } }),
    });
  },
});

describe("webhook delivery", () => {
  it("posts the payload's JSON signed both ways, and records the attempt", async ({ d }) => {
    const { receiver, webhook, notify, settled, attemptsOf } = d;
    const hook = await webhook();
    const payload = downPayload();
    const id = await notify(hook.id, { payload });
    expect(await settled(id)).toMatchObject({ status: "succeeded", attempts: 1, nextAttemptAt: null });

    const [request] = receiver.at(hook.path);
    expect(receiver.at(hook.path)).toHaveLength(1);
    expect(JSON.parse(request!.body)).toEqual(payload);
    expect(request!.headers).toMatchObject({
      "content-type": "application/json",
      "user-agent": "Upfleet-Webhooks/1",
      "x-upfleet-event": "monitor.down",
      "webhook-id": id,
    });
    expect(verifyWebhook(SECRET, request!)).toEqual(payload);

    expect(await attemptsOf(id)).toEqual([
      expect.objectContaining({
        attempt: 1,
        status: "succeeded",
        responseStatus: 200,
        error: null,
        channelId: hook.id,
        incidentId: payload.incident.id,
        event: "monitor.down",
        durationMs: expect.any(Number),
      }),
    ]);
  });

  it("retries a receiver failing twice, with the same webhook-id, then succeeds on attempt 3", async ({ d }) => {
    const { receiver, webhook, notify, settled, attemptsOf } = d;
    const hook = await webhook();
    receiver.answer(hook.path, { status: 500 }, { status: 502 });
    const id = await notify(hook.id);
    expect(await settled(id)).toMatchObject({ status: "succeeded", attempts: 3 });

    const requests = receiver.at(hook.path);
    expect(requests.map((r) => r.headers["webhook-id"])).toEqual([id, id, id]);
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);
    for (const r of requests) expect(verifyWebhook(SECRET, r)).toBeTruthy();
    expect((await attemptsOf(id)).map((a) => [a.attempt, a.status, a.responseStatus, a.error])).toEqual([
      [1, "failed", 500, "HTTP 500"],
      [2, "failed", 502, "HTTP 502"],
      [3, "succeeded", 200, null],
    ]);
  });

  it("gives up after 6 attempts", async ({ d }) => {
    const { receiver, webhook, notify, settled, attemptsOf } = d;
    const hook = await webhook();
    receiver.always(hook.path, { status: 500 });
    const id = await notify(hook.id);
    expect(await settled(id)).toMatchObject({ status: "failed", attempts: 6, nextAttemptAt: null });
    expect(receiver.at(hook.path)).toHaveLength(6);
    expect((await attemptsOf(id)).map((a) => a.status)).toEqual(Array(6).fill("failed"));
  });

  it("disables the channel on 410 Gone, stops retrying, and sends nothing more to it", async ({ d }) => {
    const { db, receiver, webhook, notify, settled, attemptsOf } = d;
    const hook = await webhook();
    receiver.answer(hook.path, { status: 410 });
    const id = await notify(hook.id);
    expect(await settled(id)).toMatchObject({ status: "failed", attempts: 1 });
    expect(await db.notificationChannel.findUniqueOrThrow({ where: { id: hook.id } })).toMatchObject({
      enabled: false,
      disabledReason: expect.stringContaining("410"),
    });

    const later = await notify(hook.id);
    expect(await settled(later)).toMatchObject({ status: "failed", attempts: 1 });
    expect((await attemptsOf(later))[0]).toMatchObject({
      status: "failed",
      error: expect.stringContaining("disabled"),
    });
    expect(receiver.at(hook.path)).toHaveLength(1);
  });

  it("waits as long as Retry-After says on a 429", async ({ d }) => {
    const { receiver, webhook, notify, settled, attemptsOf } = d;
    const hook = await webhook();
    receiver.answer(hook.path, { status: 429, headers: { "retry-after": "2" } });
    const id = await notify(hook.id);
    expect(await settled(id)).toMatchObject({ status: "succeeded", attempts: 2 });
    const [first, second] = receiver.at(hook.path);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(2_000);
    expect((await attemptsOf(id))[0]).toMatchObject({ status: "failed", responseStatus: 429 });
  });

  it("counts a redirect as a failure and never follows it", async ({ d }) => {
    const { receiver, webhook, notify, settled, attemptsOf } = d;
    const hook = await webhook();
    const elsewhere = `/elsewhere-${randomBytes(4).toString("hex")}`;
    receiver.answer(hook.path, { status: 301, headers: { location: `${receiver.url}${elsewhere}` } });
    const id = await notify(hook.id);
    expect(await settled(id)).toMatchObject({ status: "succeeded", attempts: 2 });
    expect((await attemptsOf(id))[0]).toMatchObject({
      status: "failed",
      responseStatus: 301,
      error: expect.stringContaining("redirects are not followed"),
    });
    expect(receiver.at(elsewhere)).toHaveLength(0);
  });

  it("refuses a receiver the SSRF guard blocks, without retrying", async ({ d }) => {
    const { channel, notify, settled, attemptsOf } = d;
    const id = await notify(await channel("webhook", { url: "http://169.254.169.254/latest", secret: SECRET }));
    expect(await settled(id)).toMatchObject({ status: "failed", attempts: 1 });
    expect((await attemptsOf(id))[0]).toMatchObject({
      status: "failed",
      responseStatus: null,
      error: expect.stringContaining("169.254.169.254"),
    });
  });

  it("fails a deleted channel's notification without sending", async ({ d }) => {
    const { db, receiver, webhook, notify, settled, attemptsOf } = d;
    const hook = await webhook();
    await db.notificationChannel.update({ where: { id: hook.id }, data: { deletedAt: new Date() } });
    const id = await notify(hook.id);
    expect(await settled(id)).toMatchObject({ status: "failed", attempts: 1 });
    expect((await attemptsOf(id))[0]!.error).toContain("deleted");
    expect(receiver.at(hook.path)).toHaveLength(0);
  });
});

describe("chat and email", () => {
  it("posts Slack's incoming-webhook format", async ({ d }) => {
    const body = await d.chat("slack");
    expect(body.text).toContain("Website is down");
    expect(body.text).toContain("HTTP 503");
    expect(JSON.stringify(body.blocks)).toContain(`${PUBLIC_URL}/api/v1/incidents/`);
  });

  it("posts Discord's webhook format, coloured by state", async ({ d }) => {
    const body = await d.chat("discord");
    expect(body.content).toContain("Website is down");
    expect(body.embeds[0]).toMatchObject({ title: "Website is down", color: 0xe01e5a });
  });

  it("sends an email with text and HTML over SMTP_URL", async ({ d }) => {
    const { smtp, channel, notify, settled } = d;
    const id = await notify(await channel("email", { to: ["ops@example.com", "cto@example.com"] }));
    expect(await settled(id)).toMatchObject({ status: "succeeded" });
    const [mail] = smtp.messages;
    expect(mail!.to).toEqual(["ops@example.com", "cto@example.com"]);
    expect(mail!.from).toBe("alerts@upfleet.example.com");
    expect(mail!.raw).toContain("Subject: [Upfleet] Website is down");
    expect(mail!.raw).toContain("text/plain");
    expect(mail!.raw).toContain("text/html");
  });

  it("fails email for good when the deployment has no SMTP_URL", async ({ d }) => {
    const { store, channel, notify, attemptsOf } = d;
    const bare = createSenders({ allowCidrs: [], publicUrl: PUBLIC_URL, keyring });
    const id = await notify(await channel("email", { to: ["ops@example.com"] }), { queued: false });
    const outcome = await runAttempt({ store, senders: bare, delays: DELAYS }, { notificationId: id, attempt: 1 });
    bare.close();
    expect(outcome).toMatchObject({ kind: "done", notificationStatus: "failed" });
    expect((await attemptsOf(id))[0]!.error).toContain("SMTP_URL");
  });
});

describe("at least once, never twice", () => {
  it("sends once when the same attempt runs twice at the same time", async ({ d }) => {
    const { receiver, attempt, attemptsOf } = d;
    const { hook, id, job } = await d.unqueued();
    const outcomes = await Promise.all([attempt(job), attempt(job)]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(["done", "held"]);
    expect(await attempt(job)).toMatchObject({ kind: "skipped" });
    expect(receiver.at(hook.path)).toHaveLength(1);
    expect(await attemptsOf(id)).toHaveLength(1);
  });

  it("sends once when two workers run the same attempt at the same time", async ({ d }) => {
    const { sql, receiver, attempt, attemptsOf } = d;
    const { hook, id, job } = await d.unqueued();
    const outcomes = await Promise.all([attempt(job), attempt(job, createAttemptStore(sql))]);
    // Held while the other's claim is open, skipped once it has recorded: either way, not sent.
    expect(outcomes.map((o) => (o.kind === "skipped" ? "held" : o.kind)).sort()).toEqual(["done", "held"]);
    expect(receiver.at(hook.path)).toHaveLength(1);
    expect(await attemptsOf(id)).toHaveLength(1);
  });

  it("takes over an attempt a dead worker left pending, logging its send and the new one apart", async ({ d }) => {
    const { db, receiver, hook, id, job } = { ...d, ...(await d.unqueued()) };
    await d.claim(id, hook.id, new Date(Date.now() - 120_000));
    const outcome = await d.attempt(job);
    // The dead worker's send may have reached the receiver: it stays in the log as attempt 1, and the
    // new send is attempt 2 (issue #14 point 8: one row where the receiver got two).
    expect(outcome).toMatchObject({ kind: "done", attempt: 2, notificationStatus: "succeeded" });
    const rows = await d.attemptsOf(id);
    expect(rows.map((a) => [a.attempt, a.status, a.error])).toEqual([
      [1, "failed", INTERRUPTED_ERROR],
      [2, "succeeded", null],
    ]);
    expect(await notificationRow(db, id)).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(receiver.at(hook.path)).toHaveLength(1);
    // Run again (the job redelivered once more), it sends nothing and logs nothing.
    expect(await d.attempt(job)).toMatchObject({ kind: "skipped" });
    expect(await d.attemptsOf(id)).toHaveLength(2);
  });

  it("after taking over a dead worker's send that fails, queues the attempt after the new one", async ({ d }) => {
    const { db, receiver, queue, hook, id, job } = { ...d, ...(await d.unqueued()) };
    receiver.always(hook.path, { status: 500 });
    await d.claim(id, hook.id, new Date(Date.now() - 120_000));
    await queue.enqueue(job);
    await waitFor(async () => (await d.attemptsOf(id)).length >= 3, { what: "the attempt after the new one" });
    const rows = await d.attemptsOf(id);
    expect(rows.slice(0, 3).map((a) => [a.attempt, a.status])).toEqual([
      [1, "failed"],
      [2, "failed"],
      [3, rows[2]!.status],
    ]);
    expect(rows[1]!.responseStatus).toBe(500);
    await db.notification.update({ where: { id }, data: { status: "failed" } });
  });

  it("puts back, rather than completes, a job whose attempt a (perhaps dead) worker just claimed", async ({ d }) => {
    const { db, receiver, queue } = d;
    const { hook, id, job: first } = await d.unqueued();
    await d.claim(id, hook.id);
    await queue.enqueue(first);
    // Delayed until the claim could be stale: then it is taken over, not left stuck behind its job id.
    await waitFor(async () => (await queue.bull.getJobState(`${id}@1`)) === "delayed", { what: "the job put back" });
    const job = await queue.bull.getJob(`${id}@1`);
    expect(job!.delay).toBeGreaterThanOrEqual(STALE_ATTEMPT_MS);
    expect(await notificationRow(db, id)).toMatchObject({ status: "pending", attempts: 0 });
    expect(receiver.at(hook.path)).toHaveLength(0);
    await job!.remove();
    await db.notification.update({ where: { id }, data: { status: "failed" } });
  });

  it("re-queues pending notifications after their jobs were lost (Redis flushed), once", async ({ d }) => {
    const { db, redis, receiver, connection, queue, webhook, notify, settled } = d;
    const hook = await webhook();
    const id = await notify(hook.id, { queued: false });
    // Queued far in the future: sweeping finds the job still there and adds nothing.
    await queue.enqueue({ notificationId: id, attempt: 1 }, 3_600_000);
    expect(await sweepPendingNotifications(db, queue, 0)).toBeGreaterThanOrEqual(1);
    expect(await queue.bull.getJobState(`${id}@1`)).toBe("delayed");

    const keys = await connection.keys(`${redis.prefix}:*`);
    await connection.unlink(...keys);
    expect(await queue.bull.getJobState(`${id}@1`)).toBe("unknown");

    await sweepPendingNotifications(db, queue, 0);
    expect(await settled(id)).toMatchObject({ status: "succeeded", attempts: 1 });
    await sweepPendingNotifications(db, queue, 0);
    // Once: the sweep after it succeeded left no job that could deliver it again.
    for (const attempt of [1, 2]) {
      expect(["completed", "unknown"]).toContain(await queue.bull.getJobState(`${id}@${attempt}`));
    }
    expect(receiver.at(hook.path)).toHaveLength(1);
  });
});

describe("isolation", () => {
  it("keeps delivering to healthy channels while one receiver hangs", async ({ d }) => {
    const { db, channel, webhook, notify, settled } = d;
    const stuck = await startReceiver();
    const hangId = await channel("webhook", { url: `${stuck.url}/hang`, secret: SECRET });
    stuck.always("/hang", { status: 200, hang: true });
    const hanging = await Promise.all(Array.from({ length: 40 }, () => notify(hangId)));
    await waitFor(() => stuck.requests.length >= 3, { what: "the stuck receiver to hold its share" });

    const hook = await webhook();
    const started = Date.now();
    const healthy = await Promise.all(Array.from({ length: 10 }, () => notify(hook.id)));
    for (const id of healthy) expect(await settled(id, 3_000)).toMatchObject({ status: "succeeded" });
    expect(Date.now() - started).toBeLessThan(3_000);
    // The cap held: the hanging receiver never had more than its share of the worker.
    expect(stuck.requests.length).toBe(3);

    await db.notification.updateMany({ where: { id: { in: hanging } }, data: { status: "failed" } });
    await stuck.close();
  });
});
