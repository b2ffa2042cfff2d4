import { randomBytes } from "node:crypto";
import type { Db } from "@upfleet/db";
import { type Receiver, startReceiver, verifyWebhook } from "@upfleet/delivery/testing";
import { newId } from "@upfleet/ids";
import { bullPrefix, openQueue } from "@upfleet/queue";
import { waitFor } from "@upfleet/testing";
import { closedAfterFile } from "@upfleet/testing/fixtures";
import { describe, expect } from "vitest";
import { alerterApp, it as base } from "./support.ts";

const SECRET = `whsec_${randomBytes(32).toString("base64")}`;

/** A webhook `receiver` of the file's own. */
const it = base.extend<{ receiver: Receiver }>({ receiver: closedAfterFile(startReceiver) });

async function pendingNotification(db: Db, channelId: string, organizationId: string, nextAttemptAt: Date) {
  const id = newId("notification");
  const payload = {
    event: "monitor.down",
    monitor: { id: newId("monitor"), name: "Website", url: "https://example.com", type: "http" },
    status: { http_status: 500, response_ms: 12, error: "status", region: "local" },
    incident: { id: newId("incident"), status: "investigating" },
    timestamp: new Date().toISOString(),
  };
  await db.notification.create({
    data: { id, organizationId, channelId, dedupeKey: id, event: payload.event, payload, nextAttemptAt },
  });
  return { id, payload };
}

describe("the alerter delivers notifications", () => {
  it("sends a queued notification with retries, and one whose enqueue was lost, each signed", async ({
    db,
    organizationId,
    redis,
    services,
    receiver,
    apps,
  }) => {
    const channel = async (path: string) => {
      const id = newId("channel");
      const config = { url: `${receiver.url}${path}`, secret: SECRET };
      await db.notificationChannel.create({ data: { id, organizationId, name: path, type: "webhook", config } });
      return id;
    };
    receiver.answer("/flaky", { status: 503 }, { status: 500 });
    const queued = await pendingNotification(db, await channel("/flaky"), organizationId, new Date());
    const connection = { url: redis.url, maxRetriesPerRequest: null };
    const queue = openQueue("delivery", { connection, prefix: bullPrefix(redis.prefix) });
    await queue.enqueue({ notificationId: queued.id, attempt: 1 });
    await queue.close();
    // Committed by a fan-out that died before queueing it: only the sweeper knows about it.
    const lost = await pendingNotification(db, await channel("/steady"), organizationId, new Date(Date.now() - 60_000));

    await apps.start(
      alerterApp(
        services,
        { OUTBOUND_ALLOW_CIDRS: "127.0.0.0/8", NOTIFICATION_RETRY_DELAYS: "300ms,300ms,300ms,300ms,300ms" },
        90_000,
      ),
    );

    const delivered = (id: string) =>
      waitFor(
        async () => {
          const row = await db.notification.findUniqueOrThrow({ where: { id } });
          return row.status === "succeeded" ? row : null;
        },
        { timeoutMs: 30_000, what: `notification ${id} delivered` },
      );
    expect(await delivered(queued.id)).toMatchObject({ attempts: 3 });
    expect(await delivered(lost.id)).toMatchObject({ attempts: 1 });

    const flaky = receiver.at("/flaky");
    expect(flaky.map((r) => r.headers["webhook-id"])).toEqual([queued.id, queued.id, queued.id]);
    for (const r of flaky) expect(verifyWebhook(SECRET, r)).toEqual(queued.payload);
    const steady = receiver.at("/steady");
    expect(steady).toHaveLength(1);
    expect(verifyWebhook(SECRET, steady[0]!)).toEqual(lost.payload);

    const log = await db.notificationDelivery.findMany({
      where: { notificationId: queued.id },
      orderBy: { attempt: "asc" },
    });
    expect(log.map((d) => [d.attempt, d.status, d.responseStatus])).toEqual([
      [1, "failed", 503],
      [2, "failed", 500],
      [3, "succeeded", 200],
    ]);
    expect(log[1]!.createdAt.getTime() - log[0]!.createdAt.getTime()).toBeGreaterThanOrEqual(300);
  });
});
