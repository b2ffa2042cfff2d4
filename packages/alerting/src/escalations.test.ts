import type { Db } from "@upfleet/db";
import { acknowledgeIncident } from "@upfleet/incidents";
import { JOBS } from "@upfleet/queue";
import { describe, expect } from "vitest";
import { scheduleEscalationSteps } from "./escalation-queue.ts";
import { runEscalationStep, runningEscalations } from "./escalations.ts";
import { fanOutIncidentEvents } from "./incident-events.ts";
import { it as base, type Tenant } from "./test-support.ts";

const MINUTE = 60_000;

/** `escalating` opens an incident at `startedAt` by a monitor whose policy has three steps, its opening routed. */
const it = base.extend<{ escalating: (startedAt: Date) => ReturnType<typeof escalation> }>({
  escalating: async ({ db, tenant }, use) => use(async (startedAt) => escalation(db, await tenant(), startedAt)),
});

async function escalation(db: Db, t: Tenant, startedAt: Date) {
  const channels = [await t.channel(), await t.channel(), await t.channel()];
  const policyId = await t.policy([
    { delay_minutes: 0, channel_ids: [channels[0]!] },
    { delay_minutes: 5, channel_ids: [channels[1]!, channels[1]!] },
    { delay_minutes: 15, channel_ids: [channels[2]!, channels[0]!] },
  ]);
  const monitorId = await t.monitor({ escalationPolicyId: policyId });
  await t.change(monitorId, "monitor.down", startedAt);
  const started = await fanOutIncidentEvents(db, 100, startedAt);
  const incident = await db.incident.findFirstOrThrow({ where: { monitorId } });
  const sent = () =>
    db.notification
      .findMany({ where: { incidentId: incident.id }, orderBy: { dedupeKey: "asc" } })
      .then((rows) => rows.map((r) => r.dedupeKey.split(":").slice(3).join(":")));
  const row = () =>
    db.incidentEscalation.findUniqueOrThrow({
      where: { incidentId_policyId: { incidentId: incident.id, policyId } },
    });
  return {
    t,
    channels,
    policyId,
    incident,
    started,
    sent,
    row,
    /** Runs step `n`'s job at `at` (epoch ms; now by default), as the escalation worker would. */
    step: (n: number, at = Date.now()) =>
      runEscalationStep(db, { incidentId: incident.id, policyId, step: n }, new Date(at)),
  };
}

describe("escalation steps", () => {
  it("fires step 1 with the opening, each later step once when due, and stops after the last", async ({
    escalating,
  }) => {
    const T0 = new Date(Date.now() - 20 * MINUTE);
    const e = await escalating(T0);
    const [c0, c1, c2] = e.channels;
    expect(e.started.escalations).toMatchObject([{ incidentId: e.incident.id, nextStep: 1, stoppedAt: null }]);
    expect(await e.sent()).toEqual([`0:${c0}`]);

    const step1 = await e.step(1, T0.getTime() + 5 * MINUTE);
    expect(step1.notificationIds).toHaveLength(1);
    // The same job again (a retry after a crash, a second alerter): nothing more.
    expect((await e.step(1, T0.getTime() + 6 * MINUTE)).notificationIds).toEqual([]);
    expect(await e.sent()).toEqual([`0:${c0}`, `1:${c1}`]);

    await e.step(2, T0.getTime() + 15 * MINUTE);
    expect(await e.sent()).toEqual([`0:${c0}`, `1:${c1}`, `2:${c0}`, `2:${c2}`].sort());
    expect(await e.row()).toMatchObject({ nextStep: 3, stoppedAt: expect.any(Date) });
  });

  it("fires an earlier step whose job was lost before a later one, and waits for a step not due yet", async ({
    escalating,
  }) => {
    const T0 = new Date(Date.now() - 20 * MINUTE);
    const e = await escalating(T0);
    const early = await e.step(1, T0.getTime() + 4 * MINUTE);
    expect(early).toMatchObject({ notificationIds: [], retryAt: new Date(T0.getTime() + 5 * MINUTE) });

    const late = await e.step(2, T0.getTime() + 16 * MINUTE);
    expect(late.notificationIds).toHaveLength(3);
    expect((await e.sent()).map((k) => k.split(":")[0])).toEqual(["0", "1", "2", "2"]);
  });

  it("fires nothing once the incident is acknowledged, even before the stop event is routed", async ({
    db,
    escalating,
  }) => {
    const T0 = new Date(Date.now() - 20 * MINUTE);
    const e = await escalating(T0);
    await acknowledgeIncident(db, { organizationId: e.t.organizationId, userId: "usr_1" }, e.incident.id);
    expect((await e.step(1)).notificationIds).toEqual([]);
    expect(await e.sent()).toHaveLength(1);
    expect((await e.row()).stoppedAt).not.toBeNull();
  });

  it("is stopped by the acknowledgement event", async ({ db, escalating }) => {
    const e = await escalating(new Date());
    await acknowledgeIncident(db, { organizationId: e.t.organizationId, userId: "usr_1" }, e.incident.id);
    await fanOutIncidentEvents(db);
    expect((await e.row()).stoppedAt).not.toBeNull();
  });

  it("starts nothing for an incident already acknowledged when its opening is routed", async ({ db, t }) => {
    const policyId = await t.policy([{ delay_minutes: 0, channel_ids: [await t.channel()] }]);
    const monitorId = await t.monitor({ escalationPolicyId: policyId });
    await t.change(monitorId, "monitor.down", new Date());
    const incident = await db.incident.findFirstOrThrow({ where: { monitorId } });
    await acknowledgeIncident(db, { organizationId: t.organizationId, userId: "usr_1" }, incident.id);
    const report = await fanOutIncidentEvents(db);
    expect(report.escalations).toEqual([]);
    expect(await db.notification.count({ where: { incidentId: incident.id } })).toBe(0);
  });

  it("holds a step due in a maintenance window of the monitor until the window ends", async ({ db, escalating }) => {
    const T0 = new Date(Date.now() - 20 * MINUTE);
    const e = await escalating(T0);
    const end = new Date(Date.now() + 10 * MINUTE);
    await db.maintenanceWindow.create({
      data: {
        id: `mnt_${e.incident.id}`,
        organizationId: e.t.organizationId,
        name: "upgrade",
        monitorIds: [e.incident.monitorId!],
        startsAt: new Date(Date.now() - MINUTE),
        endsAt: end,
      },
    });
    expect(await e.step(1)).toMatchObject({ notificationIds: [], retryAt: end });
    expect(await e.row()).toMatchObject({ nextStep: 1, stoppedAt: null });
    expect((await e.step(1, end.getTime())).notificationIds).toHaveLength(1);
    expect((await e.sent()).map((k) => k.split(":")[0])).toEqual(["0", "1"]);
  });
});

describe("escalation sweep", () => {
  it("re-adds the jobs of running escalations after Redis lost them, without doubling queued ones", async ({
    db,
    escalating,
    queues,
  }) => {
    const e = await escalating(new Date());
    const acked = await escalating(new Date());
    await acknowledgeIncident(db, { organizationId: acked.t.organizationId, userId: "usr_1" }, acked.incident.id);

    const running = (await runningEscalations(db)).filter((r) =>
      [e.incident.id, acked.incident.id].includes(r.incidentId),
    );
    expect(running.map((r) => r.incidentId)).toEqual([e.incident.id]);
    expect(await scheduleEscalationSteps(queues.escalations, running)).toBe(2);
    expect(await scheduleEscalationSteps(queues.escalations, running)).toBe(2);
    const ids = (await queues.escalations.bull.getDelayed())
      .map((j) => j.id)
      .filter((id) => id?.startsWith(e.incident.id));
    expect(ids.sort()).toEqual([
      JOBS.escalation.jobId({ incidentId: e.incident.id, policyId: e.policyId, step: 1 }),
      JOBS.escalation.jobId({ incidentId: e.incident.id, policyId: e.policyId, step: 2 }),
    ]);
    expect((await acked.row()).stoppedAt).not.toBeNull();
  });
});
