import type { Db, Prisma } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import { STILL_DOWN_ERROR } from "@upfleet/incidents";
import { TYPE_DEFAULTS } from "@upfleet/monitors";
import { waitFor } from "@upfleet/testing";
import { describe, expect, it } from "vitest";
import { NOTIFY_ENV, payloadOf, receivedAll, routing, withSandbox } from "./notifications-support.ts";

/**
 * A maintenance window on the real processes: two alerters and a worker, a target that fails in the
 * window. Nothing opens or notifies in it; when it ends on a monitor still down, one incident opens
 * and is notified once, whichever alerter sees the end.
 */

const STEP_MS = 30_000;
/** Time for each alerter to look at the end again (its timer, the state changes after it; packages/alerting/src/maintenance-ends.ts). */
const LOOK_MS = 5_000;

const statusIs = async (db: Db, monitorId: string, wanted: string) =>
  (await db.monitor.findUniqueOrThrow({ where: { id: monitorId } })).status === wanted;

// Concurrent: each test has a sandbox of its own (database, Redis prefix, processes).
describe("maintenance windows on real processes", () => {
  it.concurrent(
    "a monitor down in a window opens and notifies nothing until the window ends, then once",
    () =>
      withSandbox(async (box, receiver) => {
        const monitor = await box.seed.httpMonitor(`${box.target.url}/site`, { intervalSeconds: 2 });
        const r = routing(box.db, monitor.organizationId);
        const hook = await r.webhook(`${receiver.url}/hook`);
        await r.rule({ events: ["monitor.down", "incident.created"], channelIds: [hook.id] });
        await Promise.all([box.alerter(NOTIFY_ENV), box.alerter(NOTIFY_ENV), box.worker()]);
        await waitFor(() => statusIs(box.db, monitor.id, "up"), { timeoutMs: STEP_MS, what: "monitor up" });

        const end = new Date(Date.now() + 12_000);
        const window = await box.db.maintenanceWindow.create({
          data: {
            id: "mnt_e2e",
            organizationId: monitor.organizationId,
            name: "database upgrade",
            monitorIds: [monitor.id],
            startsAt: new Date(Date.now() - 1_000),
            endsAt: end,
          },
        });
        box.target.behave({ status: 500 });
        const held = await waitFor(
          () =>
            box.db.monitorEvent.findFirst({
              where: { monitorId: monitor.id, type: "monitor.down", notifiedAt: { not: null } },
            }),
          { timeoutMs: STEP_MS, what: "the down event in the window, routed" },
        );
        expect(held.tick.getTime()).toBeLessThan(end.getTime());
        expect(held.processedAt).not.toBeNull();
        expect(
          await box.db.checkResult.count({ where: { monitor: { id: monitor.id }, status: "down" } }),
        ).toBeGreaterThan(0);
        expect((await box.db.monitor.findUniqueOrThrow({ where: { id: monitor.id } })).status).toBe("down");
        expect(await box.db.incident.count({ where: { monitor: { id: monitor.id } } })).toBe(0);
        expect(await box.db.notification.count({ where: { monitorId: monitor.id } })).toBe(0);

        const received = await receivedAll(
          receiver,
          "/hook",
          ["monitor.down", "incident.created"],
          "the webhooks at the end",
        );
        expect(Date.now()).toBeGreaterThanOrEqual(end.getTime());
        const [incident, ...others] = await box.db.incident.findMany({ where: { monitorId: monitor.id } });
        expect(others).toEqual([]);
        expect(incident).toMatchObject({
          startedAt: end,
          status: "investigating",
          cause: { error: STILL_DOWN_ERROR, maintenance_window_id: window.id },
        });
        expect(received.map(payloadOf).find((p) => p.event === "incident.created")!.incident).toMatchObject({
          id: incident!.id,
        });

        // Both alerters have looked at the end at least twice since: still one of everything.
        await waitFor(() => Date.now() > end.getTime() + 2 * LOOK_MS + 1_000, {
          timeoutMs: STEP_MS,
          what: "two looks",
        });
        expect(await box.db.incident.count({ where: { monitorId: monitor.id } })).toBe(1);
        expect(await box.db.monitorEvent.count({ where: { monitorId: monitor.id, type: "monitor.down" } })).toBe(2);
        expect(
          receiver
            .at("/hook")
            .map((req) => payloadOf(req).event)
            .sort(),
        ).toEqual(["incident.created", "monitor.down"]);
      }),
    90_000,
  );

  it.concurrent(
    "a heartbeat silent past its deadline in a window opens its incident when the window ends",
    () =>
      withSandbox(async (box, receiver) => {
        const now = Date.now();
        const monitor = await box.seed.httpMonitor("cron", {
          type: "heartbeat",
          settings: { ...TYPE_DEFAULTS.heartbeat } as Prisma.InputJsonValue,
          intervalSeconds: 3_600,
          heartbeatToken: newId("monitor"),
          status: "up",
          heartbeatLastPingAt: new Date(now - 1_000),
          heartbeatDeadlineAt: new Date(now + 1_500),
        });
        const r = routing(box.db, monitor.organizationId);
        const hook = await r.webhook(`${receiver.url}/hook`);
        await r.rule({ events: ["monitor.down", "incident.created"], channelIds: [hook.id] });
        // Long enough to outlast the alerter's start under the full suite's load (6 s did not, once).
        const end = new Date(now + 12_000);
        await box.db.maintenanceWindow.create({
          data: {
            id: "mnt_cron",
            organizationId: monitor.organizationId,
            name: "backup host moved",
            monitorIds: [monitor.id],
            startsAt: new Date(now - 1_000),
            endsAt: end,
          },
        });
        await box.alerter(NOTIFY_ENV);
        const held = await waitFor(
          () =>
            box.db.monitorEvent.findFirst({
              where: { monitorId: monitor.id, tick: new Date(now + 1_500), notifiedAt: { not: null } },
            }),
          { timeoutMs: STEP_MS, what: "the missed deadline's event, routed" },
        );
        expect(held).toMatchObject({ type: "monitor.down", tick: new Date(now + 1_500) });
        expect(await box.db.incident.count({ where: { monitorId: monitor.id } })).toBe(0);

        await receivedAll(receiver, "/hook", ["monitor.down", "incident.created"], "the webhooks at the end");
        const incidents = await box.db.incident.findMany({ where: { monitorId: monitor.id } });
        expect(incidents.map((i) => i.startedAt)).toEqual([end]);
        expect(receiver.at("/hook")).toHaveLength(2);
      }),
    90_000,
  );
});
