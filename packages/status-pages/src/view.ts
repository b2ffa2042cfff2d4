import type { Db, Prisma } from "@upfleet/db";
import { inMaintenance } from "@upfleet/maintenance";
import { uptimePercent } from "@upfleet/monitoring";
import type { SectionInput } from "./schemas.ts";
import { type ComponentState, componentState, DAY_MS, type OverallState, overallState, utcDay } from "./states.ts";

export const BAR_DAYS = 90;
export const RECENT_INCIDENT_DAYS = 14;
/** Daily rollups exist (packages/ingest keeps hourly and daily spans); a bar is one of them. */
const DAY_SPAN = 86_400;
/** A page shows at most this many incidents: a flapping monitor must not make the page huge. */
const MAX_INCIDENTS = 50;

export interface DailyUptime {
  /** The UTC day, `2026-03-25`. */
  date: string;
  /** null: no check that day. */
  uptime_percent: number | null;
}

export interface PublicComponent {
  id: string;
  name: string;
  status: ComponentState;
  /** Over the 90 days of bars; null without any check. */
  uptime_percent: number | null;
  days: DailyUptime[];
}

export interface PublicIncident {
  id: string;
  monitor_id: string;
  title: string;
  status: string;
  started_at: string;
  resolved_at: string | null;
  updates: { status: string; message: string | null; created_at: string }[];
}

/** What a public status page shows: only the live monitors its sections list, and their incidents. */
export interface PublicView {
  name: string;
  slug: string;
  description: string | null;
  status: OverallState;
  sections: { name: string; components: PublicComponent[] }[];
  active_incidents: PublicIncident[];
  recent_incidents: PublicIncident[];
  generated_at: string;
}

export type PublishedPage = Pick<
  Prisma.StatusPageGetPayload<object>,
  "organizationId" | "name" | "slug" | "description" | "sections"
>;

export function listedMonitorIds(page: Pick<PublishedPage, "sections">): string[] {
  return [...new Set((page.sections as unknown as SectionInput[]).flatMap((section) => section.monitor_ids))];
}

type RollupDay = { monitorId: string; bucket: Date; checks: number; failed: number };

/** 90 bars, oldest first, ending today (UTC); a day without a rollup is "no data". */
export function dailyBars(rows: readonly RollupDay[], today: number, days = BAR_DAYS) {
  const byDay = new Map(rows.map((row) => [row.bucket.getTime(), row]));
  let checks = 0;
  let failed = 0;
  const bars: DailyUptime[] = Array.from({ length: days }, (_, i) => {
    const day = today - (days - 1 - i) * DAY_MS;
    const row = byDay.get(day);
    checks += row?.checks ?? 0;
    failed += row?.failed ?? 0;
    return {
      date: new Date(day).toISOString().slice(0, 10),
      uptime_percent: row?.checks ? uptimePercent(row.checks, row.failed) : null,
    };
  });
  return { bars, uptime: checks ? uptimePercent(checks, failed) : null };
}

type IncidentRow = Prisma.IncidentGetPayload<{ include: { updates: true } }>;

/**
 * The entry the system writes when a monitor opens an incident carries the check's error, which
 * can name internal hosts and addresses: the public page keeps its status and drops its message.
 */
function presentIncident(row: IncidentRow): PublicIncident {
  const opening = row.sourceEventId ? row.updates[0]?.id : undefined;
  return {
    id: row.id,
    monitor_id: row.monitorId!,
    title: row.title,
    status: row.status,
    started_at: row.startedAt.toISOString(),
    resolved_at: row.resolvedAt?.toISOString() ?? null,
    updates: row.updates.map((update) => ({
      status: update.status,
      message: update.id === opening ? null : update.message,
      created_at: update.createdAt.toISOString(),
    })),
  };
}

/** Incidents of these monitors, newest first, with their timelines. */
function incidentsOf(db: Db, organizationId: string, monitorIds: string[], where: Prisma.IncidentWhereInput) {
  return db.incident.findMany({
    where: { organizationId, monitorId: { in: monitorIds }, ...where },
    include: { updates: { orderBy: [{ createdAt: "asc" as const }, { id: "asc" as const }] } },
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    take: MAX_INCIDENTS,
  });
}

/**
 * The page as the public sees it, in a few queries whatever its size. Monitors are read through the
 * page's own organization and the ids its sections list, so nothing else can ever appear; deleted
 * ones drop out, and incidents without a monitor are left out (they could be about anything).
 */
export async function buildView(db: Db, page: PublishedPage, now = Date.now()): Promise<PublicView> {
  const ids = listedMonitorIds(page);
  const today = utcDay(now);
  const monitors = await db.monitor.findMany({
    where: { id: { in: ids }, organizationId: page.organizationId, deletedAt: null },
    select: { id: true, name: true, status: true, paused: true },
  });
  const live = monitors.map((monitor) => monitor.id);
  const [rollups, maintenance, active, recent] = await Promise.all([
    db.checkRollup.findMany({
      where: { monitorId: { in: live }, span: DAY_SPAN, bucket: { gte: new Date(today - (BAR_DAYS - 1) * DAY_MS) } },
      select: { monitorId: true, bucket: true, checks: true, failed: true },
    }),
    inMaintenance(
      db,
      live.map((monitorId) => ({ monitorId, at: new Date(now) })),
    ),
    incidentsOf(db, page.organizationId, live, { resolvedAt: null }),
    incidentsOf(db, page.organizationId, live, { resolvedAt: { gte: new Date(now - RECENT_INCIDENT_DAYS * DAY_MS) } }),
  ]);
  const byId = new Map(monitors.map((monitor, i) => [monitor.id, { monitor, maintenance: maintenance[i] ?? false }]));
  const rollupsOf = new Map<string, RollupDay[]>();
  for (const row of rollups) {
    const list = rollupsOf.get(row.monitorId) ?? [];
    list.push(row);
    rollupsOf.set(row.monitorId, list);
  }
  const component = (id: string): PublicComponent[] => {
    const found = byId.get(id);
    if (!found) return [];
    const { bars, uptime } = dailyBars(rollupsOf.get(id) ?? [], today);
    return [
      {
        id,
        name: found.monitor.name,
        status: componentState(found.monitor, found.maintenance),
        uptime_percent: uptime,
        days: bars,
      },
    ];
  };
  const sections = (page.sections as unknown as SectionInput[])
    .map((section) => ({ name: section.name, components: section.monitor_ids.flatMap(component) }))
    .filter((section) => section.components.length > 0);
  return {
    name: page.name,
    slug: page.slug,
    description: page.description,
    status: overallState(sections.flatMap((section) => section.components.map((c) => c.status))),
    sections,
    active_incidents: active.map(presentIncident),
    recent_incidents: recent.map(presentIncident),
    generated_at: new Date(now).toISOString(),
  };
}

/** A listed, live monitor's uptime over the last `days` UTC days (today included), for its badge. */
export async function recentUptime(db: Db, monitorId: string, days: number, now = Date.now()): Promise<number | null> {
  const rows = await db.checkRollup.findMany({
    where: { monitorId, span: DAY_SPAN, bucket: { gte: new Date(utcDay(now) - (days - 1) * DAY_MS) } },
    select: { monitorId: true, bucket: true, checks: true, failed: true },
  });
  return dailyBars(rows, utcDay(now), days).uptime;
}
