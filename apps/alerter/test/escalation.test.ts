import { type Receiver, verifyWebhook } from "@upfleet/delivery/testing";
import { acknowledgeIncident, createIncident } from "@upfleet/incidents";
import { bullPrefix, ESCALATIONS_QUEUE, JOBS } from "@upfleet/queue";
import { waitFor } from "@upfleet/testing";
import { Queue } from "bullmq";
import { describe, expect } from "vitest";
import { it as base, NOTIFY_ENV, routing } from "./notifications-support.ts";
import type { Sandbox } from "./support.ts";

const MINUTE = 60_000;
/** How late a step may arrive: the job's delay, a queue round trip, a delivery, on a busy machine. */
const SLACK_MS = 15_000;

/**
 * An incident opened through the incidents service (as the API opens one) for a monitor whose
 * policy pages `/first` at once and `/second` one minute later, in real time.
 */
async function escalatingIncident(box: Sandbox, receiver: Receiver, name: string) {
  const monitor = await box.seed.httpMonitor(`${box.target.url}/${name}`, { paused: true });
  const r = routing(box.db, monitor.organizationId);
  const first = await r.webhook(`${receiver.url}/${name}/first`);
  const second = await r.webhook(`${receiver.url}/${name}/second`);
  const policyId = await r.policy([
    { delay_minutes: 0, channel_ids: [first.id] },
    { delay_minutes: 1, channel_ids: [second.id] },
  ]);
  await box.db.monitor.update({ where: { id: monitor.id }, data: { escalationPolicyId: policyId } });
  const actor = { organizationId: monitor.organizationId, userId: "usr_oncall" };
  const incident = await createIncident(box.db, actor, { monitor_id: monitor.id, title: `${name} is down` });
  const startedAt = new Date(incident.started_at).getTime();
  const step = (n: 1 | 2) => receiver.at(`/${name}/${n === 1 ? "first" : "second"}`);
  return {
    incident,
    policyId,
    startedAt,
    step,
    acknowledge: () => acknowledgeIncident(box.db, actor, incident.id),
    /** Step 1 arrived, signed, saying which policy and step sent it. */
    async firstStep() {
      const [request] = await waitFor(() => (step(1).length ? step(1) : null), {
        timeoutMs: 30_000,
        what: `${name} step 1`,
      });
      expect(verifyWebhook(first.secret, request!)).toMatchObject({
        event: "incident.created",
        incident: { id: incident.id },
        escalation: { policy_id: policyId, step: 1 },
      });
    },
    /** Step 2 arrived exactly once, a minute after the incident opened, and was created once. */
    async secondStepOnce() {
      const [request] = await waitFor(() => (step(2).length ? step(2) : null), {
        timeoutMs: MINUTE + SLACK_MS + 30_000,
        what: `${name} step 2`,
      });
      expect(request!.at).toBeGreaterThanOrEqual(startedAt + MINUTE);
      expect(request!.at).toBeLessThan(startedAt + MINUTE + SLACK_MS);
      expect(verifyWebhook(second.secret, request!)).toMatchObject({ escalation: { policy_id: policyId, step: 2 } });
      await this.settled();
      expect(new Set(step(2).map((r) => r.headers["webhook-id"])).size).toBe(1);
      expect(await stepNotifications()).toEqual([`0:${first.id}`, `1:${second.id}`]);
    },
    /** The escalation's row once nothing more can fire: every step fired, or stopped. */
    settled: () =>
      waitFor(
        async () => {
          const row = await box.db.incidentEscalation.findUnique({
            where: { incidentId_policyId: { incidentId: incident.id, policyId } },
          });
          return row?.stoppedAt ? row : null;
        },
        { timeoutMs: 30_000, what: `${name} escalation settled` },
      ),
    stepNotifications,
  };
  async function stepNotifications() {
    const rows = await box.db.notification.findMany({
      where: { incidentId: incident.id },
      select: { dedupeKey: true },
    });
    return rows.map((r) => r.dedupeKey.split(":").slice(3).join(":")).sort();
  }
}

/** Waits until the delayed job of step `step` (0-based) has run, whatever it decided. */
async function jobRan(box: Sandbox, incidentId: string, policyId: string, step: number) {
  const queue = new Queue(ESCALATIONS_QUEUE, {
    connection: { url: box.redis.url },
    prefix: bullPrefix(box.redis.prefix),
  });
  try {
    await waitFor(async () => (await queue.getJob(JOBS.escalation.jobId({ incidentId, policyId, step })))?.finishedOn, {
      timeoutMs: MINUTE + SLACK_MS,
      intervalMs: 250,
      what: `escalation job of step ${step + 1}`,
    });
  } finally {
    await queue.close();
  }
}

/** `paging`: a test's sandbox and receiver with an alerter started on them. */
const it = base.extend<{
  paging: { box: Sandbox; receiver: Receiver; alerter: Awaited<ReturnType<Sandbox["alerter"]>> };
}>({
  paging: async ({ sandbox }, use) => use({ ...sandbox, alerter: await sandbox.box.alerter(NOTIFY_ENV) }),
});

describe("escalation on real processes, in real time", () => {
  it.concurrent("step 2 fires once a minute after opening unless the incident was acknowledged", async ({
    paging: { box, receiver },
  }) => {
    const ignored = await escalatingIncident(box, receiver, "ignored");
    const acked = await escalatingIncident(box, receiver, "acked");
    await Promise.all([ignored.firstStep(), acked.firstStep()]);
    await acked.acknowledge();

    await ignored.secondStepOnce();
    // Its step 2 job ran at its time and found the incident acknowledged.
    await jobRan(box, acked.incident.id, acked.policyId, 1);
    expect(Date.now()).toBeGreaterThanOrEqual(acked.startedAt + MINUTE);
    expect(acked.step(2)).toEqual([]);
    expect(await acked.settled()).toMatchObject({ nextStep: 1 });
    expect(await acked.stepNotifications()).toHaveLength(1);
  }, 180_000);

  it.concurrent("step 2 fires once after the alerter is SIGKILLed and restarted between the steps", async ({
    paging: { box, receiver, alerter },
  }) => {
    const e = await escalatingIncident(box, receiver, "killed");
    await e.firstStep();
    await alerter.stop("SIGKILL");
    await box.alerter(NOTIFY_ENV);
    await e.secondStepOnce();
  }, 180_000);

  it.concurrent("step 2 fires once after Redis lost every key of the alerter between the steps", async ({
    paging: { box, receiver },
  }) => {
    const e = await escalatingIncident(box, receiver, "flushed");
    await e.firstStep();
    // The delayed job exists, then is gone with the rest of the prefix (as FLUSHDB would do).
    await waitFor(() => box.db.incidentEscalation.count({ where: { nextStep: 1 } }), { what: "step 1 recorded" });
    await box.redis.cleanup();
    await e.secondStepOnce();
  }, 180_000);
});
