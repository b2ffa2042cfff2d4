import type { CheckResult, Db, Prisma } from "@upfleet/db";
import { presentIncident } from "@upfleet/incidents";
import { presentCheck as presentApiCheck } from "@upfleet/monitors";
import type { Row } from "./format.ts";

export const EXPORT_TYPES = ["checks", "incidents"] as const;
export type ExportTypeName = (typeof EXPORT_TYPES)[number];

/** The API's fields (GET /monitors/:id/checks, GET /incidents/:id), plus the check's monitor and its name. */
export const COLUMNS: Record<ExportTypeName, readonly string[]> = {
  checks: [
    "id",
    "monitor_id",
    "monitor_name",
    "timestamp",
    "tick",
    "region",
    "status",
    "response_ms",
    "http_status",
    "error",
    "message",
    "details",
  ],
  incidents: [
    "id",
    "monitor_id",
    "title",
    "status",
    "cause",
    "started_at",
    "acknowledged_at",
    "acknowledged_by",
    "resolved_at",
    "updates",
  ],
};

/** What a build reads of its export row. */
export interface ExportScope {
  organizationId: string;
  type: ExportTypeName;
  /** Empty: every monitor of the organization. */
  monitorIds: readonly string[];
  from: Date;
  to: Date;
}

/** Rows per query: pages are read one at a time, so memory stays flat whatever the range. */
const PAGE = 1_000;

/** A check as GET /monitors/:id/checks shows it, with its monitor next (the order of COLUMNS.checks). */
export function presentCheck(r: CheckResult, monitor: { id: string; name: string }): Row {
  const { id, ...fields } = presentApiCheck(r);
  return { id, monitor_id: monitor.id, monitor_name: monitor.name, ...fields };
}

async function monitorsOf(db: Db, scope: ExportScope): Promise<{ id: string; name: string; seq: number }[]> {
  // Ids given were checked live when the export was created; keep them even if deleted since.
  return db.monitor.findMany({
    where: {
      organizationId: scope.organizationId,
      ...(scope.monitorIds.length ? { id: { in: [...scope.monitorIds] } } : { deletedAt: null }),
    },
    select: { id: true, name: true, seq: true },
    orderBy: { id: "asc" },
  });
}

/**
 * Checks of each monitor in turn (monitor id order), by tick then region: a check belongs to the range
 * by its tick (its scheduled time; `timestamp`, when it ran, follows within its timeout). Keyset
 * pages on (tick, region), unique per monitor, over the (monitor_seq, tick, region) key.
 */
async function* checkRows(db: Db, scope: ExportScope): AsyncGenerator<Row> {
  for (const monitor of await monitorsOf(db, scope)) {
    let after: { tick: Date; region: string } | undefined;
    for (;;) {
      const where: Prisma.CheckResultWhereInput = {
        monitorSeq: monitor.seq,
        tick: { gte: scope.from, lt: scope.to },
        ...(after ? { OR: [{ tick: { gt: after.tick } }, { tick: after.tick, region: { gt: after.region } }] } : {}),
      };
      const page = await db.checkResult.findMany({ where, orderBy: [{ tick: "asc" }, { region: "asc" }], take: PAGE });
      for (const check of page) yield presentCheck(check, monitor);
      if (page.length < PAGE) break;
      const last = page.at(-1)!;
      after = { tick: last.tick, region: last.region };
    }
  }
}

/**
 * Incidents overlapping the range (started before `to`, not resolved before `from`), in id (creation)
 * order, with their timelines. Without monitor_ids: every incident of the organization, manual ones
 * without a monitor included.
 */
async function* incidentRows(db: Db, scope: ExportScope): AsyncGenerator<Row> {
  let after = "";
  for (;;) {
    const page = await db.incident.findMany({
      where: {
        organizationId: scope.organizationId,
        id: { gt: after },
        ...(scope.monitorIds.length ? { monitorId: { in: [...scope.monitorIds] } } : {}),
        startedAt: { lt: scope.to },
        OR: [{ resolvedAt: null }, { resolvedAt: { gte: scope.from } }],
      },
      include: { updates: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] } },
      orderBy: { id: "asc" },
      take: PAGE,
    });
    for (const incident of page) yield presentIncident(incident);
    if (page.length < PAGE) return;
    after = page.at(-1)!.id;
  }
}

/** Every record of an export, in file order, read a page at a time. */
export function exportRows(db: Db, scope: ExportScope): AsyncGenerator<Row> {
  return scope.type === "checks" ? checkRows(db, scope) : incidentRows(db, scope);
}
