import { randomBytes } from "node:crypto";
import type { Db } from "@upfleet/db";
import { type ReceivedRequest, type Receiver, startReceiver } from "@upfleet/delivery/testing";
import { newId } from "@upfleet/ids";
import { waitFor } from "@upfleet/testing";
import { it as base, type Sandbox, startSandbox } from "./support.ts";

/** Receivers on loopback pass the SSRF guard only because the alerters are told to allow it. */
export const NOTIFY_ENV = { OUTBOUND_ALLOW_CIDRS: "127.0.0.0/8", NOTIFICATION_RETRY_DELAYS: "1s,1s,2s" };

const newWebhookSecret = () => `whsec_${randomBytes(24).toString("base64")}`;

/** Channels, rules and policies written straight into the database, as the API would store them. */
export function routing(db: Db, organizationId: string) {
  return {
    async webhook(url: string, secret = newWebhookSecret()) {
      const id = newId("channel");
      await db.notificationChannel.create({
        data: { id, organizationId, name: `hook ${id.slice(-4)}`, type: "webhook", config: { url, secret } },
      });
      return { id, secret };
    },
    async rule(fields: { events?: string[]; monitorIds?: string[]; tags?: string[]; channelIds: string[] }) {
      await db.notificationRule.create({
        data: { id: newId("rule"), organizationId, name: "route", events: [], monitorIds: [], tags: [], ...fields },
      });
    },
    async policy(steps: { delay_minutes: number; channel_ids: string[] }[]) {
      const id = newId("escalationPolicy");
      await db.escalationPolicy.create({ data: { id, organizationId, name: "on call", steps } });
      return id;
    },
  };
}

/** Notifications per "<event> <channel>", to show that each event reached each channel once. */
export async function notificationsByEventAndChannel(db: Db, monitorId: string): Promise<Record<string, number>> {
  const rows = await db.notification.groupBy({ by: ["event", "channelId"], where: { monitorId }, _count: true });
  return Object.fromEntries(rows.map((r) => [`${r.event} ${r.channelId}`, r._count]));
}

export interface Payload {
  event: string;
  incident?: ({ id: string } & Record<string, unknown>) | null;
  escalation?: { policy_id: string; step: number };
}

export const payloadOf = (request: ReceivedRequest) => JSON.parse(request.body) as Payload;

/** Waits until `path` has received each of `events`, and returns the requests to it. */
export function receivedAll(receiver: Receiver, path: string, events: readonly string[], what: string) {
  return waitFor(
    () => {
      const got = receiver.at(path);
      const seen = new Set(got.map((r) => payloadOf(r).event));
      return events.every((e) => seen.has(e)) ? got : null;
    },
    { timeoutMs: 60_000, what },
  );
}

/** A sandbox (database, Redis prefix, target, processes) and a webhook receiver for one test. */
export async function withSandbox(run: (box: Sandbox, receiver: Receiver) => Promise<void>): Promise<void> {
  const box = await startSandbox();
  const receiver = await startReceiver();
  try {
    await run(box, receiver);
  } finally {
    await receiver.close();
    await box.stop();
  }
}

/** `it` with `sandbox`: a sandbox and a webhook receiver of the test's own (as `withSandbox` gives them). */
export const it = base.extend<{ sandbox: { box: Sandbox; receiver: Receiver } }>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern.
  sandbox: async ({}, use) => withSandbox((box, receiver) => use({ box, receiver })),
});
