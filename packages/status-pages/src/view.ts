import type { Db, Prisma } from "@upfleet/db";
import { storedSections } from "./schemas.ts";
import { type ComponentState, componentState, DAY_MS, type OverallState, overallState } from "./states.ts";
import { type DailyUptime, dailyUptimeOf } from "./uptime.ts";

const BAR_DAYS = 90;
const RECENT_INCIDENT_DAYS = 14;
/** A page shows at most this many incidents: a flapping monitor must not make the page huge. */
const MAX_INCIDENTS = 50;

export interface PublicComponent {
  id: string;
  name: string;
  status: ComponentState;
  /** Over the 90 days of bars, maintenance left out; null without any check. */
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

function listedMonitorIds(page: Pick<PublishedPage, "sections">): string[] {
  return [...new Set(storedSections(page.sections).flatMap((section) => section.monitor_ids))];
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
  const monitors = await db.monitor.findMany({
    where: { id: { in: ids }, organizationId: page.organizationId, deletedAt: null },
    select: { id: true, name: true, status: true, paused: true },
  });
  const live = monitors.map((monitor) => monitor.id);
  const [uptime, active, recent] = await Promise.all([
    dailyUptimeOf(db, live, BAR_DAYS, now),
    incidentsOf(db, page.organizationId, live, { resolvedAt: null }),
    incidentsOf(db, page.organizationId, live, { resolvedAt: { gte: new Date(now - RECENT_INCIDENT_DAYS * DAY_MS) } }),
  ]);
  const byId = new Map(monitors.map((monitor) => [monitor.id, monitor]));
  const component = (id: string): PublicComponent[] => {
    const monitor = byId.get(id);
    const figures = uptime.get(id);
    if (!monitor || !figures) return [];
    return [
      {
        id,
        name: monitor.name,
        status: componentState(monitor, figures.inMaintenance),
        uptime_percent: figures.uptime,
        days: figures.bars,
      },
    ];
  };
  const sections = storedSections(page.sections)
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
