import type { Db } from "@upfleet/db";
import { type Receiver, verifyWebhook } from "@upfleet/delivery/testing";
import { waitFor } from "@upfleet/testing";
import { describe, expect } from "vitest";
import {
  it as base,
  NOTIFY_ENV,
  notificationsByEventAndChannel,
  payloadOf,
  receivedAll,
  routing,
} from "./notifications-support.ts";
import type { Sandbox } from "./support.ts";

// Generous: each step may wait for a killed alerter's jobs to be taken back (lock 15 s + stall check 5 s) and for
// a new alerter to start, on a machine running the other test files too.
const STEP_MS = 90_000;
const EVENTS = ["monitor.down", "incident.created", "monitor.up", "incident.resolved"] as const;
/**
 * The alerters started after a kill: a notification committed by the killed one before it queued the
 * job is queued again by the next sweep, looked for every second here instead of every 30 s.
 */
const RESTARTED_ENV = { ...NOTIFY_ENV, NOTIFICATION_SWEEP_INTERVAL_MS: "1000" };

const statusIs = async (db: Db, monitorId: string, wanted: string) =>
  (await db.monitor.findUniqueOrThrow({ where: { id: monitorId } })).status === wanted;

/** A monitor of the sandbox's target, routed to the webhook paths /a and /b (but not /staging). */
async function routedMonitor(box: Sandbox, receiver: Receiver) {
  const monitor = await box.seed.httpMonitor(`${box.target.url}/site`, { tags: ["prod"] });
  const r = routing(box.db, monitor.organizationId);
  const a = await r.webhook(`${receiver.url}/a`);
  const b = await r.webhook(`${receiver.url}/b`);
  const staging = await r.webhook(`${receiver.url}/staging`);
  await r.rule({ channelIds: [a.id, b.id] });
  await r.rule({ events: ["monitor.down"], tags: ["prod"], channelIds: [a.id] });
  await r.rule({ tags: ["staging"], channelIds: [staging.id] });
  return { monitor, channels: { a, b, staging } };
}

interface Outage extends Awaited<ReturnType<typeof routedMonitor>> {
  box: Sandbox;
  receiver: Receiver;
  alerter: Awaited<ReturnType<Sandbox["alerter"]>>;
}

/** `outage`: a test's sandbox with its routed monitor up, checked by an alerter and a worker. */
const it = base.extend<{ outage: Outage }>({
  outage: async ({ sandbox }, use) => {
    const { box, receiver } = sandbox;
    const routed = await routedMonitor(box, receiver);
    const alerter = await box.alerter(NOTIFY_ENV);
    await box.worker();
    await waitFor(() => statusIs(box.db, routed.monitor.id, "up"), { timeoutMs: STEP_MS, what: "monitor up" });
    await use({ ...sandbox, ...routed, alerter });
  },
});

/** Exactly one notification per event × channel; every one received, signed, and none under two ids. */
async function expectEachOnce({ box, receiver, monitor, channels }: Outage) {
  const expected = Object.fromEntries(
    EVENTS.flatMap((event) => [channels.a.id, channels.b.id].map((id) => [`${event} ${id}`, 1])),
  );
  expect(await notificationsByEventAndChannel(box.db, monitor.id)).toEqual(expected);
  const rows = await box.db.notification.findMany({ where: { monitorId: monitor.id } });
  await waitFor(
    async () => (await box.db.notification.count({ where: { monitorId: monitor.id, status: "succeeded" } })) === 8,
    { timeoutMs: STEP_MS, what: "every notification delivered" },
  );
  const secrets: Record<string, string> = { "/a": channels.a.secret, "/b": channels.b.secret };
  const received = receiver.requests.filter((r) => r.path in secrets);
  for (const request of received) expect(verifyWebhook(secrets[request.path]!, request)).toEqual(payloadOf(request));
  // A redelivery (a crash after sending, before recording it) carries the same webhook-id.
  expect(new Set(received.map((r) => r.headers["webhook-id"])).size).toBe(rows.length);
  expect(receiver.at("/staging")).toEqual([]);
}

describe("notifications on real processes", () => {
  it.concurrent("a target failing and recovering notifies each event to each matching channel once", async ({
    outage,
  }) => {
    const { box, receiver, monitor } = outage;
    box.target.behave({ status: 500 });
    const opened = await receivedAll(receiver, "/a", ["monitor.down", "incident.created"], "the outage's webhooks");
    const incident = await box.db.incident.findFirstOrThrow({ where: { monitorId: monitor.id } });
    const down = opened.find((r) => payloadOf(r).event === "monitor.down")!;
    expect(down.headers).toMatchObject({ "x-upfleet-event": "monitor.down", "user-agent": "Upfleet-Webhooks/1" });
    expect(payloadOf(down)).toMatchObject({
      monitor: { id: monitor.id, name: monitor.name, url: `${box.target.url}/site`, type: "http" },
      status: { http_status: 500, region: "local" },
      incident: { id: incident.id, status: "investigating" },
    });
    expect(opened.map(payloadOf).find((p) => p.event === "incident.created")!.incident).toMatchObject({
      id: incident.id,
      title: `${monitor.name} is down`,
    });

    box.target.behave({ status: 200 });
    await receivedAll(receiver, "/b", EVENTS, "the recovery's webhooks");
    await receivedAll(receiver, "/a", EVENTS, "the recovery's webhooks");
    expect(await box.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).toMatchObject({
      status: "resolved",
      acknowledgedBy: "system",
    });
    await expectEachOnce(outage);
  }, 180_000);

  it.concurrent("SIGKILLed alerters between a result and its notifications duplicate nothing", async ({ outage }) => {
    const { box, receiver, monitor } = outage;
    let { alerter } = outage;

    /** Kills the alerter as soon as `written` shows in the database, and starts another. */
    const killWhen = async (written: () => Promise<unknown>, what: string) => {
      await waitFor(written, { timeoutMs: STEP_MS, intervalMs: 5, what });
      await alerter.stop("SIGKILL");
      alerter = await box.alerter(RESTARTED_ENV);
    };
    const eventWritten = (type: string) => () =>
      box.db.monitorEvent.findFirst({ where: { monitorId: monitor.id, type } });
    const notificationWritten = (event: string) => () =>
      box.db.notification.findFirst({ where: { monitorId: monitor.id, event } });

    box.target.behave({ status: 500 });
    await killWhen(eventWritten("monitor.down"), "the monitor.down event");
    await killWhen(notificationWritten("monitor.down"), "the monitor.down notifications");
    await receivedAll(receiver, "/a", ["monitor.down", "incident.created"], "the outage's webhooks");

    box.target.behave({ status: 200 });
    await killWhen(eventWritten("monitor.up"), "the monitor.up event");
    await killWhen(notificationWritten("incident.resolved"), "the incident.resolved notifications");
    await receivedAll(receiver, "/b", EVENTS, "every webhook after the kills");
    await receivedAll(receiver, "/a", EVENTS, "every webhook after the kills");
    await expectEachOnce(outage);
  }, 360_000);
});
