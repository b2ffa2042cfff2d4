import { startReceiver } from "@upfleet/delivery/testing";
import { type AppProcess, waitFor } from "@upfleet/testing";
import { describe, it } from "vitest";
import { NOTIFY_ENV, notificationsByEventAndChannel, receivedAll, routing } from "./notifications-support.ts";
import { missingTicks, startSandbox, storedChecks } from "./support.ts";

/** The alerter's lease and how often it is renewed or sought (apps/alerter/src/alerter.ts). */
const LEASE_MS = 10_000;
const RENEW_EVERY_MS = 3_000;
const INTERVAL_MS = 10_000;
const EVENTS = ["monitor.down", "incident.created", "monitor.up", "incident.resolved"];

/** Check jobs an alerter says it enqueued (its /metrics). */
async function dispatched(alerter: AppProcess & { url: string }): Promise<number> {
  const text = await (await fetch(`${alerter.url}/metrics`)).text();
  return text
    .split("\n")
    .filter((line) => line.startsWith("upfleet_checks_dispatched_total{"))
    .reduce((sum, line) => sum + Number(line.split(" ").at(-1)), 0);
}

describe("two alerters", { timeout: 240_000 }, () => {
  it("one dispatches; when it is SIGKILLed the other takes over within the lease, and no tick is lost or run twice, no incident or notification doubled", async ({
    expect,
    onTestFinished,
  }) => {
    const s = await startSandbox();
    onTestFinished(() => s.stop());
    const receiver = await startReceiver();
    onTestFinished(() => receiver.close());
    const paths = ["/steady/1", "/steady/2", "/steady/3", "/flap"];
    const monitors = await Promise.all(paths.map((path) => s.seed.httpMonitor(`${s.target.url}${path}`)));
    const flapping = monitors.at(-1)!;
    const r = routing(s.db, flapping.organizationId);
    const hook = await r.webhook(`${receiver.url}/hook`);
    await r.rule({ monitorIds: [flapping.id], channelIds: [hook.id] });

    await s.worker();
    const leader = await s.alerter(NOTIFY_ENV);
    await leader.waitForLog((e) => e.msg === "scheduler lease taken", 60_000);
    const standby = await s.alerter(NOTIFY_ENV);
    await waitFor(
      async () => {
        const counts = await Promise.all(monitors.map(async (m) => (await storedChecks(s.db, m.id)).length));
        return counts.every((n) => n >= 2);
      },
      { timeoutMs: 60_000, what: "two checks of each monitor stored" },
    );
    expect(await dispatched(standby)).toBe(0);
    expect(await dispatched(leader)).toBeGreaterThan(0);

    // An outage while both run: its incident and notifications are made once.
    s.target.behaveAt("/flap", { status: 500 });
    await receivedAll(receiver, "/hook", ["monitor.down", "incident.created"], "the outage's webhooks");

    const killedAt = Date.now();
    await leader.stop("SIGKILL");
    await standby.waitForLog((e) => e.msg === "scheduler lease taken", LEASE_MS + RENEW_EVERY_MS + 10_000);
    const takeoverMs = Date.now() - killedAt;
    console.info(`two alerters: the standby took the scheduler lease ${takeoverMs} ms after the leader was SIGKILLed`);
    // The lease runs out at most LEASE_MS after the leader's last renewal, and the standby asks again
    // as it does (a second of slack for a loaded machine).
    expect(takeoverMs).toBeLessThan(LEASE_MS + 1_000);

    // The recovery is seen by the survivor alone.
    s.target.behaveAt("/flap", undefined);
    await receivedAll(receiver, "/hook", EVENTS, "the recovery's webhooks");
    const takenAt = killedAt + takeoverMs;
    // Ticks past the takeover stored, and every request the target saw stored once (a tick dispatched
    // twice would be a second request with one row).
    const checks = await waitFor(
      async () => {
        const all = await Promise.all(monitors.map((m) => storedChecks(s.db, m.id)));
        const settled = all.every(
          (rows, i) => rows.some((c) => c.tick > takenAt + INTERVAL_MS) && s.target.hits.get(paths[i]!) === rows.length,
        );
        return settled ? all : null;
      },
      { timeoutMs: 90_000, what: "checks after the takeover, each request stored once" },
    );
    for (const [i, rows] of checks.entries()) {
      const ticks = rows.map((c) => c.tick);
      // No tick missed across the handover: those due while no one led are sent late by the survivor.
      expect(missingTicks(ticks, INTERVAL_MS), monitors[i]!.id).toEqual([]);
      const perTick = await s.db.checkResult.groupBy({
        by: ["tick"],
        where: { monitor: { id: monitors[i]!.id } },
        _count: true,
      });
      expect(perTick.filter((t) => t._count !== 1)).toEqual([]);
    }

    expect(await s.db.incident.count({ where: { monitorId: flapping.id } })).toBe(1);
    expect(await notificationsByEventAndChannel(s.db, flapping.id)).toEqual(
      Object.fromEntries(EVENTS.map((event) => [`${event} ${hook.id}`, 1])),
    );
    const webhookIds = new Set(receiver.at("/hook").map((request) => request.headers["webhook-id"]));
    expect(webhookIds.size).toBe(EVENTS.length);
  });
});
