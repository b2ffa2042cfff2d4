import { type Db, type MonitorStatus, type PageRequest, pageQuery, toPage } from "@upfleet/db";
import { NotFoundError } from "@upfleet/errors";
import { mergeHistograms, quantileFromHistogram, type Span, type StatusChange, slaFigures } from "@upfleet/monitoring";
import type { Tenant } from "./service.ts";

export const SLA_PERIODS = {
  "7d": { days: 7, span: 3600 },
  "30d": { days: 30, span: 86_400 },
  "90d": { days: 90, span: 86_400 },
} as const;
export type SlaPeriod = keyof typeof SLA_PERIODS;

/** Each monitor's time in maintenance within [from, to), as sorted disjoint spans. */
type MaintenanceLookup = (monitorIds: string[], from: Date, to: Date) => Promise<Map<string, Span[]>>;

export interface SlaRow {
  monitor_id: string;
  name: string;
  uptime_percent: number | null;
  downtime_seconds: number;
  incidents: number;
  mttr_seconds: number | null;
  avg_response_ms: number | null;
  p95_response_ms: number | null;
}

const DAY_MS = 86_400_000;

/** Two decimals as every other uptime figure, rounded down: any downtime at all never reads 100. */
const twoDecimals = (percent: number) => Math.floor(percent * 100 + 1e-6) / 100;

/**
 * When a monitor's figures start: at its first result (its first change away from `pending`), as
 * time before any check is no data, neither up nor down. Null: never checked, no figures. A monitor
 * that was checked but whose early events retention dropped counts from its creation.
 */
function firstObserved(
  monitor: { createdAt: Date; lastCheckedAt: Date | null; heartbeatLastPingAt: Date | null },
  before: MonitorStatus | null,
  changes: readonly StatusChange[],
): number | null {
  if (before !== null && before !== "pending") return monitor.createdAt.getTime();
  const first = changes.find((change) => change.to !== "pending");
  if (first) return first.at;
  if (before === null && (monitor.lastCheckedAt ?? monitor.heartbeatLastPingAt) !== null) {
    return monitor.createdAt.getTime();
  }
  return null;
}

function byMonitor<T extends { monitorId: string | null }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    if (row.monitorId === null) continue;
    const group = groups.get(row.monitorId);
    if (group) group.push(row);
    else groups.set(row.monitorId, [row]);
  }
  return groups;
}

/**
 * The status each monitor was in at `at`: the destination of its last state change before it, one
 * index probe per monitor ((monitor_id, tick) of the events' unique key), not its whole history.
 */
async function statusesAt(db: Db, monitorIds: string[], at: Date): Promise<Map<string, MonitorStatus>> {
  const rows = await db.$queryRaw<{ monitor_id: string; to_status: MonitorStatus }[]>`
    SELECT m.id AS monitor_id, last.to_status
    FROM unnest(${monitorIds}::text[]) AS m(id)
    CROSS JOIN LATERAL (
      SELECT e.to_status FROM monitor_events e
      WHERE e.monitor_id = m.id AND e.tick < ${at}
      ORDER BY e.tick DESC, e.id DESC
      LIMIT 1
    ) AS last`;
  return new Map(rows.map((r) => [r.monitor_id, r.to_status]));
}

async function changesBetween(
  db: Db,
  monitorIds: string[],
  from: Date,
  to: Date,
): Promise<Map<string, StatusChange[]>> {
  const rows = await db.monitorEvent.findMany({
    where: { monitorId: { in: monitorIds }, tick: { gte: from, lt: to } },
    orderBy: [{ monitorId: "asc" }, { tick: "asc" }, { id: "asc" }],
    select: { monitorId: true, tick: true, toStatus: true },
  });
  return new Map(
    [...byMonitor(rows)].map(([id, events]) => [id, events.map((e) => ({ at: e.tick.getTime(), to: e.toStatus }))]),
  );
}

/**
 * The SLA figures of the organization's monitors (or one), a page of monitors at a time, over the
 * last 7, 30 or 90 days, in a fixed number of queries per page. Availability is time-based, from the
 * monitors' state changes, so heartbeat monitors have it too: downtime is the time spent down, and
 * uptime the share of the time observed (from the start of the period or the monitor's creation)
 * that was not down. Time in maintenance counts neither as up nor as down. MTTR is the mean time
 * to resolve the period's incidents that are resolved; response times come from the rollups.
 */
export async function slaReport(
  db: Db,
  tenant: Tenant,
  period: SlaPeriod,
  page: PageRequest,
  options: { monitorId?: string | undefined; now?: Date; maintenance: MaintenanceLookup },
): Promise<{ data: SlaRow[]; next_cursor: string | null; period: SlaPeriod; from: string; to: string }> {
  const to = options.now ?? new Date();
  const from = new Date(to.getTime() - SLA_PERIODS[period].days * DAY_MS);
  const query = pageQuery(page);
  const listed = await db.monitor.findMany({
    ...query,
    where: {
      ...query.where,
      organizationId: tenant.organizationId,
      deletedAt: null,
      ...(options.monitorId ? { id: options.monitorId } : {}),
    },
    select: { id: true, name: true, createdAt: true, lastCheckedAt: true, heartbeatLastPingAt: true },
  });
  if (options.monitorId && listed.length === 0) throw new NotFoundError("Monitor", options.monitorId);
  // One page of monitors at a time: the figures below are read for these only (toPage drops the extra one).
  const monitors = listed.slice(0, page.limit);
  const ids = monitors.map((m) => m.id);
  const span = SLA_PERIODS[period].span;
  const [initial, changes, incidentRows, rollupRows, maintenance] = await Promise.all([
    statusesAt(db, ids, from),
    changesBetween(db, ids, from, to),
    db.incident.findMany({
      where: { monitorId: { in: ids }, startedAt: { gte: from, lt: to } },
      select: { monitorId: true, startedAt: true, resolvedAt: true },
    }),
    db.checkRollup.findMany({
      where: {
        monitorId: { in: ids },
        span,
        bucket: { gte: new Date(Math.floor(from.getTime() / (span * 1000)) * span * 1000) },
      },
      select: { monitorId: true, responseSumMs: true, responseCount: true, histogram: true },
    }),
    options.maintenance(ids, from, to),
  ]);
  const incidents = byMonitor(incidentRows);
  const rollups = byMonitor(rollupRows);
  const present = (monitor: (typeof monitors)[number]): SlaRow => {
    const before = initial.get(monitor.id) ?? null;
    const moves = changes.get(monitor.id) ?? [];
    const start = firstObserved(monitor, before, moves);
    const figures =
      start === null
        ? { uptimePercent: null, downtimeMs: 0 }
        : slaFigures(
            before,
            moves,
            { start: Math.max(from.getTime(), start), end: to.getTime() },
            maintenance.get(monitor.id) ?? [],
          );
    const own = incidents.get(monitor.id) ?? [];
    const repairs = own.flatMap((i) => (i.resolvedAt ? [i.resolvedAt.getTime() - i.startedAt.getTime()] : []));
    const buckets = rollups.get(monitor.id) ?? [];
    const responses = buckets.reduce((n, r) => n + r.responseCount, 0);
    return {
      monitor_id: monitor.id,
      name: monitor.name,
      uptime_percent: figures.uptimePercent === null ? null : twoDecimals(figures.uptimePercent),
      downtime_seconds: Math.round(figures.downtimeMs / 1000),
      incidents: own.length,
      mttr_seconds: repairs.length ? Math.round(repairs.reduce((a, b) => a + b, 0) / repairs.length / 1000) : null,
      avg_response_ms: responses
        ? Math.round(buckets.reduce((sum, r) => sum + Number(r.responseSumMs), 0) / responses)
        : null,
      p95_response_ms: responses ? quantileFromHistogram(mergeHistograms(buckets.map((r) => r.histogram)), 0.95) : null,
    };
  };
  // A list by the API's convention, newest monitor first, with the range it covers.
  return { ...toPage(listed, page, present), period, from: from.toISOString(), to: to.toISOString() };
}
