import { type Db, isUniqueViolation, type PageRequest, pageQuery, toPage } from "@upfleet/db";
import { ConflictError, NotFoundError } from "@upfleet/errors";
import { newId } from "@upfleet/ids";
import { outboxRow } from "./outbox.ts";
import { type IncidentStatusName, type OPEN_STATUSES, presentIncident, WITH_UPDATES } from "./present.ts";

export interface Tenant {
  organizationId: string;
}

/** The caller of a change: acknowledgements and events name the user. */
export interface Actor extends Tenant {
  userId: string;
}

export interface IncidentFilters {
  monitor_id?: string | undefined;
  /** true: open incidents only; false: resolved ones only. */
  active?: boolean | undefined;
  status?: IncidentStatusName | undefined;
}

export interface NewIncident {
  monitor_id?: string | undefined;
  title: string;
  status?: (typeof OPEN_STATUSES)[number] | undefined;
  message?: string | undefined;
}

/** Incidents newest first. */
export async function listIncidents(db: Db, tenant: Tenant, filters: IncidentFilters, page: PageRequest) {
  const query = pageQuery(page);
  const active =
    filters.active === undefined ? {} : filters.active ? { resolvedAt: null } : { NOT: { resolvedAt: null } };
  const rows = await db.incident.findMany({
    ...query,
    where: {
      ...query.where,
      organizationId: tenant.organizationId,
      ...(filters.monitor_id ? { monitorId: filters.monitor_id } : {}),
      ...(filters.status ? { status: filters.status } : {}),
      ...active,
    },
    include: WITH_UPDATES,
  });
  return toPage(rows, page, presentIncident);
}

export async function getIncident(db: Db, tenant: Tenant, id: string) {
  const incident = await db.incident.findFirst({
    where: { id, organizationId: tenant.organizationId },
    include: WITH_UPDATES,
  });
  if (!incident) throw new NotFoundError("Incident", id);
  return presentIncident(incident);
}

/**
 * A manual incident, optionally about one of the tenant's monitors. The database refuses a second
 * open incident for a monitor (unique open_monitor_id), which is the 409, race or not.
 */
export async function createIncident(db: Db, actor: Actor, input: NewIncident) {
  const monitorId = input.monitor_id ?? null;
  if (monitorId) {
    const monitor = await db.monitor.findFirst({
      where: { id: monitorId, organizationId: actor.organizationId, deletedAt: null },
      select: { id: true },
    });
    if (!monitor) throw new NotFoundError("Monitor", monitorId);
  }
  const status = input.status ?? "investigating";
  try {
    return await db.$transaction(async (tx) => {
      const incident = await tx.incident.create({
        data: {
          id: newId("incident"),
          organizationId: actor.organizationId,
          monitorId,
          openMonitorId: monitorId,
          title: input.title,
          status,
          startedAt: new Date(),
          updates: { create: { id: newId("incidentUpdate"), status, message: input.message ?? null } },
        },
        include: WITH_UPDATES,
      });
      await tx.incidentEvent.create({
        data: outboxRow("incident.created", incident, actor.userId, incident.updates[0]),
      });
      return presentIncident(incident);
    });
  } catch (error) {
    if (isUniqueViolation(error, "open_monitor_id")) {
      throw new ConflictError(`Monitor ${monitorId} already has an open incident; update or resolve that one`);
    }
    throw error;
  }
}
