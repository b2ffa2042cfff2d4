import type { CheckResult, Db, PageRequest, Prisma } from "@upfleet/db";
import { pageQuery, toPage } from "@upfleet/db";
import { NotFoundError } from "@upfleet/errors";
import { checksRetainedFrom, type RetentionPolicy } from "@upfleet/lifecycle";
import { maintenanceIntervals } from "@upfleet/maintenance";
import { mergeHistograms, outsideMaintenance, quantileFromHistogram, uptimePercent } from "@upfleet/monitoring";
import { heldChecks } from "./held-checks.ts";
import type { Tenant } from "./service.ts";

export interface CheckFilters {
  region?: string | undefined;
  status?: "up" | "degraded" | "down" | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
}

async function assertOwned(db: Db, tenant: Tenant, monitorId: string): Promise<void> {
  const found = await db.monitor.findFirst({
    where: { id: monitorId, organizationId: tenant.organizationId, deletedAt: null },
    select: { id: true },
  });
  if (!found) throw new NotFoundError("Monitor", monitorId);
}

/** `firstByte` → `first_byte`. */
const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * API.md: every key in a check's `details` is snake_case. Workers report them as the code names
 * them (and older rows are stored so), so they are renamed here, at every depth; every key in
 * details is one the checks define, none a user's.
 */
export function snakeCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeCaseKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [snake(key), snakeCaseKeys(inner)]));
}

/**
 * A check's id: (monitor, tick, region) is its identity and it is shown under its monitor, so the
 * tick and the region make it (the table keeps no surrogate key).
 */
const checkId = (r: Pick<CheckResult, "tick" | "region">) => `chk_${r.tick.getTime().toString(36)}_${r.region}`;

/** A check as GET /monitors/:id/checks shows it (exports add its monitor). */
export function presentCheck(r: CheckResult) {
  return {
    id: checkId(r),
    timestamp: r.checkedAt.toISOString(),
    tick: r.tick.toISOString(),
    region: r.region,
    status: r.status,
    response_ms: r.responseMs,
    http_status: r.httpStatus,
    error: r.error,
    message: r.message,
    details: snakeCaseKeys(r.details ?? {}),
  };
}

/** The keyset of a checks page: the last check's tick and region, opaque to clients. */
export const checksCursor = {
  encode: (r: CheckResult) => Buffer.from(`${r.tick.getTime()}.${r.region}`, "utf8").toString("base64url"),
  /** The keyset in a cursor, or null when the cursor is not one of ours. */
  decode(cursor: string): { tick: Date; region: string } | null {
    const [, tick, region] = /^(\d{1,15})\.(.+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8")) ?? [];
    return tick && region ? { tick: new Date(Number(tick)), region } : null;
  },
};

/**
 * A monitor's check history, newest first, within its organization's raw-result retention:
 * `retained_from` says where the data ends (older ticks are only in the rollups, GET …/uptime).
 * since/until select by tick, which prunes the day partitions.
 */
export async function listChecks(
  db: Db,
  tenant: Tenant,
  monitorId: string,
  filters: CheckFilters,
  page: PageRequest,
  retention: RetentionPolicy,
  now = new Date(),
) {
  const monitor = await db.monitor.findFirst({
    where: { id: monitorId, organizationId: tenant.organizationId, deletedAt: null },
    select: { seq: true, organization: { select: { plan: true } } },
  });
  if (!monitor) throw new NotFoundError("Monitor", monitorId);
  const retainedFrom = checksRetainedFrom(retention.of(monitor.organization.plan), now);
  const since = filters.since && filters.since > retainedFrom ? filters.since : retainedFrom;
  // The route accepts only cursors that decode.
  const after = page.cursor ? checksCursor.decode(page.cursor) : null;
  const where: Prisma.CheckResultWhereInput = {
    monitorSeq: monitor.seq,
    tick: { gte: since, ...(filters.until ? { lt: filters.until } : {}) },
    ...(filters.region ? { region: filters.region } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(after ? { OR: [{ tick: { lt: after.tick } }, { tick: after.tick, region: { lt: after.region } }] } : {}),
  };
  const rows = await db.checkResult.findMany({
    where,
    orderBy: [{ tick: "desc" }, { region: "desc" }],
    take: page.limit + 1,
  });
  const more = rows.length > page.limit;
  const shown = more ? rows.slice(0, page.limit) : rows;
  return {
    data: shown.map(presentCheck),
    next_cursor: more ? checksCursor.encode(shown.at(-1)!) : null,
    retained_from: retainedFrom.toISOString(),
  };
}

export const UPTIME_PERIODS = {
  "24h": { buckets: 24, span: 3600 },
  "7d": { buckets: 168, span: 3600 },
  "30d": { buckets: 30, span: 86_400 },
  "90d": { buckets: 90, span: 86_400 },
} as const;
export type UptimePeriod = keyof typeof UPTIME_PERIODS;

/**
 * Uptime over a period from the rollups (hourly buckets for 24h/7d, daily for 30d/90d): a fixed
 * number of buckets, empty ones included so a chart has no gaps; p95 from the merged histograms.
 * Checks made in the monitor's maintenance windows count neither as up nor as down: they leave the
 * uptime figures and check counts (heldChecks). Response times keep them: the checks ran, and how
 * fast is not uptime.
 */
export async function uptimeReport(db: Db, tenant: Tenant, monitorId: string, period: UptimePeriod, now = new Date()) {
  await assertOwned(db, tenant, monitorId);
  const { buckets, span } = UPTIME_PERIODS[period];
  const spanMs = span * 1000;
  const firstBucket = Math.floor(now.getTime() / spanMs) * spanMs - (buckets - 1) * spanMs;
  const [rows, incidents, held] = await Promise.all([
    db.checkRollup.findMany({ where: { monitorId, span, bucket: { gte: new Date(firstBucket) } } }),
    // Incidents, not down events: manual incidents count too, and one outage is one incident.
    db.incident.count({ where: { monitorId, startedAt: { gte: new Date(firstBucket) } } }),
    maintenanceIntervals(db, monitorId, new Date(firstBucket), new Date(firstBucket + buckets * spanMs)).then(
      async (intervals) => (await heldChecks(db, new Map([[monitorId, intervals]]), span)).get(monitorId) ?? new Map(),
    ),
  ]);
  const byBucket = new Map(rows.map((r) => [r.bucket.getTime(), r]));
  let checks = 0;
  let failed = 0;
  let responseSum = 0;
  let responseCount = 0;
  const history = Array.from({ length: buckets }, (_, i) => {
    const at = firstBucket + i * spanMs;
    const r = byBucket.get(at);
    const counted = outsideMaintenance({ checks: r?.checks ?? 0, failed: r?.failed ?? 0 }, held.get(at));
    checks += counted.checks;
    failed += counted.failed;
    if (r) {
      responseSum += Number(r.responseSumMs);
      responseCount += r.responseCount;
    }
    return {
      timestamp: new Date(at).toISOString(),
      uptime_percent: counted.checks ? uptimePercent(counted.checks, counted.failed) : null,
      avg_response_ms: r?.responseCount ? Math.round(Number(r.responseSumMs) / r.responseCount) : null,
      checks: counted.checks,
    };
  });
  return {
    period,
    uptime_percent: checks ? uptimePercent(checks, failed) : null,
    avg_response_ms: responseCount ? Math.round(responseSum / responseCount) : null,
    p95_response_ms: quantileFromHistogram(mergeHistograms(rows.map((r) => r.histogram)), 0.95),
    total_checks: checks,
    failed_checks: failed,
    incidents,
    history,
  };
}

/** A heartbeat monitor's ping log, newest first (another type's is simply empty). */
export async function listPings(db: Db, tenant: Tenant, monitorId: string, page: PageRequest) {
  await assertOwned(db, tenant, monitorId);
  const query = pageQuery(page);
  const rows = await db.heartbeatPing.findMany({ ...query, where: { ...query.where, monitorId } });
  return toPage(rows, page, (p) => ({
    id: p.id,
    kind: p.kind,
    exit_code: p.exitCode,
    rid: p.rid,
    duration_ms: p.durationMs,
    method: p.method,
    source_ip: p.sourceIp,
    user_agent: p.userAgent,
    body: p.body,
    created_at: p.createdAt.toISOString(),
  }));
}
