import type { Db, Prisma } from "@upfleet/db";
import { presentIncidentState } from "@upfleet/incidents";
import { maintenanceEnds } from "@upfleet/maintenance";
import { type EscalationState, parseSteps, stepsToFire } from "./escalation-plan.ts";
import { insertNotifications, type NewNotification } from "./notifications.ts";
import { escalationPayload } from "./payload.ts";

type Tx = Prisma.TransactionClient;

/** An incident_escalations row, steps parsed. */
export interface Escalation extends EscalationState {
  incidentId: string;
  policyId: string;
  organizationId: string;
}

export interface StepReport {
  /** Notifications created by the steps fired: queued by the caller after commit. */
  notificationIds: string[];
  /** The escalation as it is now (null when it does not exist). */
  escalation: Escalation | null;
  /** The step's job came early: run it again then. */
  retryAt: Date | null;
}

const NOTHING: StepReport = { notificationIds: [], escalation: null, retryAt: null };

function toEscalation(row: {
  incidentId: string;
  policyId: string;
  organizationId: string;
  steps: unknown;
  nextStep: number;
  startedAt: Date;
  stoppedAt: Date | null;
}): Escalation {
  return { ...row, steps: parseSteps(row.steps) };
}

/** Stops the running escalations of these incidents (acknowledged or resolved). */
export async function stopEscalations(tx: Tx, incidentIds: string[], now = new Date()): Promise<number> {
  if (incidentIds.length === 0) return 0;
  const { count } = await tx.incidentEscalation.updateMany({
    where: { incidentId: { in: incidentIds }, stoppedAt: null },
    data: { stoppedAt: now },
  });
  return count;
}

/**
 * Fires the due steps up to `upTo` of a locked escalation. The incident row is read FOR SHARE: an
 * acknowledgement (which locks it FOR UPDATE) either committed before, and nothing fires, or waits
 * for this step to commit. next_step only moves from the value read, in the transaction that
 * inserts the step's notifications, so a step fires once whatever crashes or runs twice.
 */
async function advance(tx: Tx, escalation: Escalation, upTo: number, now: Date): Promise<StepReport> {
  await tx.$queryRaw`SELECT id FROM incidents WHERE id = ${escalation.incidentId} FOR SHARE`;
  const incident = await tx.incident.findUnique({
    where: { id: escalation.incidentId },
    include: { monitor: { select: { id: true, name: true, type: true, settings: true } } },
  });
  if (!incident || incident.acknowledgedAt || incident.resolvedAt) {
    await stopEscalations(tx, [escalation.incidentId], now);
    return { ...NOTHING, escalation: { ...escalation, stoppedAt: now } };
  }
  const plan = stepsToFire(escalation, upTo, now);
  if (plan.fire.length === 0) return { notificationIds: [], escalation, retryAt: plan.retryAt };
  // Steps due while the monitor is in maintenance are held until the window ends, not skipped: an
  // incident still unacknowledged then deserves the pages it would have had (skipping would lose
  // them for good), and one its monitor's recovery resolved in the window stops them instead.
  if (incident.monitorId) {
    const [until] = await maintenanceEnds(tx, [{ monitorId: incident.monitorId, at: now }]);
    if (until) return { notificationIds: [], escalation, retryAt: until };
  }

  const stoppedAt = plan.done ? now : null;
  const moved = await tx.$executeRaw`
    UPDATE incident_escalations SET next_step = ${plan.nextStep}, stopped_at = ${stoppedAt}
    WHERE incident_id = ${escalation.incidentId} AND policy_id = ${escalation.policyId}
      AND next_step = ${escalation.nextStep} AND stopped_at IS NULL`;
  if (moved !== 1) return { ...NOTHING, escalation };

  const wanted = plan.fire.flatMap((step) => escalation.steps[step]?.channel_ids ?? []);
  const usable = new Set(
    (
      await tx.notificationChannel.findMany({
        where: { id: { in: wanted }, organizationId: escalation.organizationId, enabled: true, deletedAt: null },
        select: { id: true },
      })
    ).map((c) => c.id),
  );
  const state = presentIncidentState(incident);
  const rows: NewNotification[] = plan.fire.flatMap((step) => {
    const payload = escalationPayload(state, incident.monitor, { policyId: escalation.policyId, step }, now);
    return [...new Set(escalation.steps[step]?.channel_ids ?? [])]
      .filter((id) => usable.has(id))
      .map((channelId) => ({
        organizationId: escalation.organizationId,
        channelId,
        dedupeKey: `esc:${escalation.incidentId}:${escalation.policyId}:${step}:${channelId}`,
        incidentId: incident.id,
        monitorId: incident.monitorId,
        payload,
      }));
  });
  return {
    notificationIds: await insertNotifications(tx, rows),
    escalation: { ...escalation, nextStep: plan.nextStep, stoppedAt },
    retryAt: plan.retryAt,
  };
}

/**
 * Starts the policies' escalations of an incident that just opened (once per incident × policy,
 * whoever processes its opening) and fires their first step at once when it is due. Returns what
 * to queue after commit: the notifications, and the escalations whose later steps need jobs.
 */
export async function startEscalations(
  tx: Tx,
  incident: { id: string; organizationId: string; startedAt: Date },
  policyIds: string[],
  now = new Date(),
): Promise<{ notificationIds: string[]; escalations: Escalation[] }> {
  if (policyIds.length === 0) return { notificationIds: [], escalations: [] };
  const policies = await tx.escalationPolicy.findMany({
    where: { id: { in: policyIds }, organizationId: incident.organizationId, deletedAt: null },
    select: { id: true, steps: true },
  });
  const created = await tx.incidentEscalation.createManyAndReturn({
    data: policies.map((policy) => ({
      incidentId: incident.id,
      policyId: policy.id,
      organizationId: incident.organizationId,
      steps: policy.steps as Prisma.InputJsonValue,
      startedAt: incident.startedAt,
    })),
    skipDuplicates: true,
  });
  const notificationIds: string[] = [];
  const escalations: Escalation[] = [];
  for (const row of created) {
    const report = await advance(tx, toEscalation(row), 0, now);
    notificationIds.push(...report.notificationIds);
    if (report.escalation) escalations.push(report.escalation);
  }
  return { notificationIds, escalations };
}

/**
 * The job of step `step`: fires it (and any earlier step still due) unless the incident was
 * acknowledged; during maintenance, asks to run again when the window ends (retryAt).
 */
export async function runEscalationStep(
  db: Db,
  job: { incidentId: string; policyId: string; step: number },
  now = new Date(),
): Promise<StepReport> {
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ incident_id: string }[]>`
      SELECT incident_id FROM incident_escalations
      WHERE incident_id = ${job.incidentId} AND policy_id = ${job.policyId}
      FOR UPDATE`;
    if (!row) return NOTHING;
    const escalation = await tx.incidentEscalation.findUniqueOrThrow({
      where: { incidentId_policyId: { incidentId: job.incidentId, policyId: job.policyId } },
    });
    if (escalation.stoppedAt) return { ...NOTHING, escalation: toEscalation(escalation) };
    return advance(tx, toEscalation(escalation), job.step, now);
  });
}

/**
 * Escalations still running, for the sweeper to re-create their jobs. Those whose incident was
 * acknowledged or resolved without the stop reaching them are stopped first.
 */
export async function runningEscalations(db: Db, now = new Date()): Promise<Escalation[]> {
  await db.$executeRaw`
    UPDATE incident_escalations e SET stopped_at = ${now}
    FROM incidents i
    WHERE i.id = e.incident_id AND e.stopped_at IS NULL
      AND (i.acknowledged_at IS NOT NULL OR i.resolved_at IS NOT NULL)`;
  const rows = await db.incidentEscalation.findMany({ where: { stoppedAt: null } });
  return rows.map(toEscalation);
}
