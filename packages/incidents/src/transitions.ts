import type { Db, IncidentUpdate, Prisma } from "@upfleet/db";
import { ConflictError, NotFoundError } from "@upfleet/errors";
import { newId } from "@upfleet/ids";
import { type IncidentEventType, outboxRow } from "./outbox.ts";
import { type IncidentStatusName, type IncidentWithUpdates, presentIncident, WITH_UPDATES } from "./present.ts";
import type { Actor } from "./service.ts";

type Tx = Prisma.TransactionClient;

export interface IncidentPatch {
  status?: IncidentStatusName | undefined;
  title?: string | undefined;
  message?: string | undefined;
}

/**
 * Runs a transition on one of the tenant's incidents with its row locked, so two changes of one
 * incident (two users, or a user and the monitor's recovery) are decided one after the other.
 * A resolved incident takes no further transition.
 */
async function transition(
  db: Db,
  actor: Actor,
  id: string,
  change: (tx: Tx, incident: IncidentWithUpdates) => Promise<IncidentWithUpdates>,
) {
  return db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM incidents WHERE id = ${id} AND organization_id = ${actor.organizationId} FOR UPDATE`;
    if (locked.length === 0) throw new NotFoundError("Incident", id);
    const incident = await tx.incident.findUniqueOrThrow({ where: { id }, include: WITH_UPDATES });
    if (incident.resolvedAt) throw new ConflictError(`Incident ${id} is resolved; it cannot change any more`);
    return presentIncident(await change(tx, incident));
  });
}

/** Fields that resolve an incident: closed for its monitor, and acknowledged if nobody had. */
export function resolution(incident: IncidentWithUpdates, by: string, at: Date) {
  return {
    status: "resolved" as const,
    resolvedAt: at,
    openMonitorId: null,
    acknowledgedAt: incident.acknowledgedAt ?? at,
    acknowledgedBy: incident.acknowledgedBy ?? by,
  };
}

/** Applies a change, adds its timeline entry (if any) and records its event, all in `tx`. */
async function save(
  tx: Tx,
  incident: IncidentWithUpdates,
  actor: string,
  type: IncidentEventType,
  data: Prisma.IncidentUpdateInput,
  entry?: { status: IncidentStatusName; message: string | null },
) {
  const update: IncidentUpdate | undefined = entry
    ? await tx.incidentUpdate.create({ data: { id: newId("incidentUpdate"), incidentId: incident.id, ...entry } })
    : undefined;
  const saved = await tx.incident.update({ where: { id: incident.id }, data, include: WITH_UPDATES });
  await tx.incidentEvent.create({ data: outboxRow(type, saved, actor, update) });
  return saved;
}

/**
 * A status or message change adds a timeline entry; a title alone does not. Status `resolved`
 * resolves the incident. A patch that changes nothing records nothing.
 */
export function patchIncident(db: Db, actor: Actor, id: string, patch: IncidentPatch) {
  return transition(db, actor, id, async (tx, incident) => {
    const status = patch.status ?? incident.status;
    const titleChanged = patch.title !== undefined && patch.title !== incident.title;
    const entry = status !== incident.status || patch.message !== undefined;
    if (!titleChanged && !entry) return incident;
    const resolving = status === "resolved";
    return save(
      tx,
      incident,
      actor.userId,
      resolving ? "incident.resolved" : "incident.updated",
      {
        ...(titleChanged ? { title: patch.title } : {}),
        ...(resolving ? resolution(incident, actor.userId, new Date()) : { status }),
      },
      entry ? { status, message: patch.message ?? null } : undefined,
    );
  });
}

/** A timeline entry, with an optional status change (as a PATCH with a message). */
export function addIncidentUpdate(
  db: Db,
  actor: Actor,
  id: string,
  input: { status?: IncidentStatusName | undefined; message: string },
) {
  return patchIncident(db, actor, id, input);
}

/** Who and when; acknowledging again keeps the first acknowledgement. */
export function acknowledgeIncident(db: Db, actor: Actor, id: string) {
  return transition(db, actor, id, async (tx, incident) => {
    if (incident.acknowledgedAt) return incident;
    return save(tx, incident, actor.userId, "incident.acknowledged", {
      acknowledgedAt: new Date(),
      acknowledgedBy: actor.userId,
    });
  });
}

/** Resolves (and acknowledges, if nobody had); an already resolved incident is a 409. */
export function resolveIncident(db: Db, actor: Actor, id: string, input: { message?: string | undefined }) {
  return transition(db, actor, id, (tx, incident) =>
    save(tx, incident, actor.userId, "incident.resolved", resolution(incident, actor.userId, new Date()), {
      status: "resolved",
      message: input.message ?? null,
    }),
  );
}

/** The timeline entry of an incident closed because its monitor was deleted. */
export const MONITOR_DELETED_MESSAGE = "Resolved: its monitor was deleted, so nothing will recover it";

/**
 * Resolves the open incidents of a monitor being deleted, in the transaction that deletes it: no
 * check will ever recover them, and an incident left `investigating` forever would page on.
 */
export async function resolveForDeletedMonitor(tx: Tx, actor: Actor, monitorId: string): Promise<void> {
  const open = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM incidents
    WHERE organization_id = ${actor.organizationId} AND monitor_id = ${monitorId} AND resolved_at IS NULL
    ORDER BY id FOR UPDATE`;
  const now = new Date();
  for (const { id } of open) {
    const incident = await tx.incident.findUniqueOrThrow({ where: { id }, include: WITH_UPDATES });
    await save(tx, incident, actor.userId, "incident.resolved", resolution(incident, actor.userId, now), {
      status: "resolved",
      message: MONITOR_DELETED_MESSAGE,
    });
  }
}
