import { randomBytes } from "node:crypto";
import { type Db, type Monitor, type PageRequest, type Prisma, pageQuery, toPage, uniqueKey } from "@upfleet/db";
import { type ErrorDetail, NotFoundError, ValidationError, zodIssuesToDetails } from "@upfleet/errors";
import { newId } from "@upfleet/ids";
import type { Keyring } from "@upfleet/secrets";
import { assertRunnable } from "./check-spec.ts";
import { sealSettings, shownSettings } from "./credentials.ts";
import { settleHeartbeatDeadline } from "./heartbeat-upkeep.ts";
import { type MonitorTypeName, urlPort } from "./input.ts";
import { presentMonitor } from "./present.ts";
import type { ScheduleSync } from "./schedule-sync.ts";
import { allowedKeys, type MonitorInput, type MonitorPatch, schemaOf } from "./schemas.ts";
import { parseSettings } from "./settings.ts";
import { NO_STATS, recentStats } from "./stats.ts";

export interface MonitorDeps {
  db: Db;
  schedule: ScheduleSync;
  /** Deployment rules a schema cannot know: the regions that exist and the shortest interval. */
  policy: { regions: string[]; minIntervalSeconds: number };
  publicUrl: string;
  /** ENCRYPTION_KEY: seals the credentials in settings when they are written. */
  keyring: Keyring;
}

export interface Tenant {
  organizationId: string;
}

export interface MonitorFilters {
  type?: MonitorTypeName | undefined;
  status?: "pending" | "up" | "degraded" | "down" | "paused" | undefined;
  tag?: string | undefined;
  key?: string | undefined;
  /** Part of the name, any case. */
  q?: string | undefined;
}

const COMMON_COLUMNS = new Set([
  "type",
  "key",
  "name",
  "interval_seconds",
  "timeout_ms",
  "regions",
  "confirmations",
  "recovery_confirmations",
  "tags",
  "escalation_policy_id",
  "paused",
]);

function checkPolicy(deps: MonitorDeps, input: MonitorInput): string[] {
  const problems: ErrorDetail[] = [];
  const { minIntervalSeconds, regions } = deps.policy;
  if (input.interval_seconds !== undefined && input.interval_seconds < minIntervalSeconds) {
    problems.push({ path: "interval_seconds", message: `must be at least ${minIntervalSeconds} on this deployment` });
  }
  const chosen = input.regions ?? regions;
  chosen.forEach((region, i) => {
    if (!regions.includes(region)) {
      problems.push({
        path: `regions.${i}`,
        message: `unknown region "${region}"; this deployment has ${regions.join(", ")}`,
      });
    }
  });
  if (problems.length) throw new ValidationError(problems);
  return [...new Set(chosen)];
}

/** `previous`: the stored settings being replaced (credentials sent back masked keep their values). */
function columnsFrom(deps: MonitorDeps, input: MonitorInput, regions: string[], previous?: unknown) {
  const settings = Object.fromEntries(Object.entries(input).filter(([key]) => !COMMON_COLUMNS.has(key)));
  // The check connects to the url's port: stored and read back as what it is (443 was the default).
  if (input.type === "ssl" && typeof settings.url === "string") settings.port = urlPort(settings.url);
  assertRunnable(parseSettings(input.type, settings), input.timeout_ms);
  return {
    key: input.key,
    name: input.name,
    type: input.type,
    settings: sealSettings(settings, deps.keyring, previous) as Prisma.InputJsonValue,
    intervalSeconds: input.interval_seconds ?? 0,
    timeoutMs: input.timeout_ms,
    regions,
    confirmations: input.confirmations,
    recoveryConfirmations: input.recovery_confirmations,
    tags: [...new Set(input.tags)],
    escalationPolicyId: input.escalation_policy_id,
    paused: input.paused,
  };
}

type Client = Db | Prisma.TransactionClient;

/**
 * Writes a monitor that names an escalation policy: the policy must be a live one of the tenant's
 * (404 otherwise), share-locked until the write commits, so a concurrent policy delete (which locks
 * it for update, then looks for the monitors using it) either sees this monitor or makes this a 404.
 */
async function withPolicy(
  deps: MonitorDeps,
  tenant: Tenant,
  policyId: string | null,
  write: (client: Client) => Promise<Monitor>,
): Promise<Monitor> {
  if (!policyId) return write(deps.db);
  return deps.db.$transaction(async (tx) => {
    const found = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM escalation_policies
      WHERE id = ${policyId} AND organization_id = ${tenant.organizationId} AND deleted_at IS NULL
      FOR SHARE`;
    if (found.length === 0) throw new NotFoundError("Escalation policy", policyId);
    return write(tx);
  });
}

async function present(deps: MonitorDeps, monitor: Monitor) {
  const stats = await recentStats(deps.db, [monitor.id]);
  return presentMonitor(monitor, stats.get(monitor.id) ?? NO_STATS, deps.publicUrl);
}

async function findOwned(deps: MonitorDeps, tenant: Tenant, id: string): Promise<Monitor> {
  const monitor = await deps.db.monitor.findFirst({
    where: { id, organizationId: tenant.organizationId, deletedAt: null },
  });
  if (!monitor) throw new NotFoundError("Monitor", id);
  return monitor;
}

/**
 * Fields that go in pairs, one or the other: a PATCH that sets one replaces the stored other, so a
 * heartbeat moves from an interval to a schedule (or an ssl monitor to a url on another port) in
 * one field, while a body that sends both is still refused.
 */
const REPLACES: Record<string, string> = {
  heartbeat_schedule: "interval_seconds",
  interval_seconds: "heartbeat_schedule",
  url: "port",
};

function withoutReplaced(stored: Record<string, unknown>, patch: MonitorPatch): Record<string, unknown> {
  const kept = { ...stored };
  for (const [field, other] of Object.entries(REPLACES)) {
    if (patch[field] === undefined || patch[field] === null || other in patch || !(other in kept)) continue;
    // A schedule is cleared with null; an interval or a port left out takes its default.
    if (other === "heartbeat_schedule") kept[other] = null;
    else delete kept[other];
  }
  return kept;
}

export async function createMonitor(deps: MonitorDeps, tenant: Tenant, input: MonitorInput) {
  const regions = checkPolicy(deps, input);
  const columns = columnsFrom(deps, input, regions);
  const monitor = await uniqueKey("monitor", input.key, () =>
    withPolicy(deps, tenant, input.escalation_policy_id, (client) =>
      client.monitor.create({
        data: {
          id: newId("monitor"),
          organizationId: tenant.organizationId,
          ...columns,
          heartbeatToken: input.type === "heartbeat" ? randomBytes(24).toString("base64url") : null,
        },
      }),
    ),
  );
  await deps.schedule.sync(monitor, true);
  return presentMonitor(monitor, NO_STATS, deps.publicUrl);
}

export async function getMonitor(deps: MonitorDeps, tenant: Tenant, id: string) {
  return present(deps, await findOwned(deps, tenant, id));
}

export async function listMonitors(deps: MonitorDeps, tenant: Tenant, filters: MonitorFilters, page: PageRequest) {
  const query = pageQuery(page);
  const status =
    filters.status === "paused" ? { paused: true } : filters.status ? { paused: false, status: filters.status } : {};
  const rows = await deps.db.monitor.findMany({
    ...query,
    where: {
      ...query.where,
      organizationId: tenant.organizationId,
      deletedAt: null,
      ...(filters.type ? { type: filters.type } : {}),
      ...(filters.tag ? { tags: { has: filters.tag } } : {}),
      // Prisma passes `contains` to ILIKE as is: % and _ in a search are meant literally.
      ...(filters.q ? { name: { contains: filters.q.replace(/[\\%_]/g, "\\$&"), mode: "insensitive" as const } } : {}),
      ...(filters.key ? { key: filters.key } : {}),
      ...status,
    },
  });
  const stats = await recentStats(
    deps.db,
    rows.map((r) => r.id),
  );
  return toPage(rows, page, (m) => presentMonitor(m, stats.get(m.id) ?? NO_STATS, deps.publicUrl));
}

/**
 * A PATCH is merged onto the stored monitor as a client reads it (credentials masked) and the result
 * re-validated as a whole for its type; credentials omitted, or sent back masked, keep their values.
 */
export async function updateMonitor(deps: MonitorDeps, tenant: Tenant, id: string, patch: MonitorPatch) {
  const current = await findOwned(deps, tenant, id);
  const type: MonitorTypeName = current.type;
  if (patch.type !== undefined && patch.type !== type) {
    throw new ValidationError([{ path: "type", message: "a monitor's type cannot change; create a new monitor" }]);
  }
  const allowed = allowedKeys(type);
  const foreign = Object.keys(patch).filter((key) => !allowed.has(key));
  if (foreign.length) {
    throw new ValidationError(foreign.map((key) => ({ path: key, message: `not a field of ${type} monitors` })));
  }
  const stored = {
    ...shownSettings(current.settings),
    type,
    key: current.key,
    name: current.name,
    ...(current.intervalSeconds ? { interval_seconds: current.intervalSeconds } : {}),
    timeout_ms: current.timeoutMs,
    regions: current.regions,
    confirmations: current.confirmations,
    recovery_confirmations: current.recoveryConfirmations,
    tags: current.tags,
    escalation_policy_id: current.escalationPolicyId,
    paused: current.paused,
  };
  const parsed = schemaOf(type).safeParse({ ...withoutReplaced(stored, patch), ...patch });
  if (!parsed.success) throw new ValidationError(zodIssuesToDetails(parsed.error.issues));
  const input: MonitorInput = parsed.data;
  const regions = checkPolicy(deps, input);
  const columns = columnsFrom(deps, input, regions, current.settings);
  // A policy the monitor already had was checked when it was set (policies in use cannot be deleted).
  const newPolicy = input.escalation_policy_id === current.escalationPolicyId ? null : input.escalation_policy_id;
  const monitor = await uniqueKey("monitor", input.key, () =>
    withPolicy(deps, tenant, newPolicy, (client) => client.monitor.update({ where: { id }, data: columns })),
  );
  const gridChanged = monitor.intervalSeconds !== current.intervalSeconds || monitor.paused !== current.paused;
  await deps.schedule.sync(monitor, gridChanged);
  await settleHeartbeatDeadline(deps.db, current, monitor);
  return present(deps, monitor);
}

async function setPaused(deps: MonitorDeps, tenant: Tenant, id: string, paused: boolean) {
  const current = await findOwned(deps, tenant, id);
  const monitor =
    current.paused === paused ? current : await deps.db.monitor.update({ where: { id }, data: { paused } });
  await deps.schedule.sync(monitor, monitor.paused !== current.paused);
  if (monitor.paused !== current.paused) await settleHeartbeatDeadline(deps.db, current, monitor);
  return present(deps, monitor);
}

export const pauseMonitor = (deps: MonitorDeps, tenant: Tenant, id: string) => setPaused(deps, tenant, id, true);
export const resumeMonitor = (deps: MonitorDeps, tenant: Tenant, id: string) => setPaused(deps, tenant, id, false);

/**
 * Soft delete: hidden and unscheduled at once; its checks and events stay for history and reports.
 * `alongside` runs in the same transaction, for what other packages keep about the monitor (its open
 * incidents, the rules and pages naming it), so none of it outlives the monitor by a failed step.
 */
export async function deleteMonitor(
  deps: MonitorDeps,
  tenant: Tenant,
  id: string,
  alongside: (tx: Prisma.TransactionClient) => Promise<void> = async () => {},
): Promise<void> {
  const current = await findOwned(deps, tenant, id);
  const monitor = await deps.db.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM monitors WHERE id = ${id} AND deleted_at IS NULL FOR UPDATE`;
    if (!locked) throw new NotFoundError("Monitor", id);
    const deleted = await tx.monitor.update({ where: { id }, data: { deletedAt: new Date() } });
    await alongside(tx);
    return deleted;
  });
  await deps.schedule.sync(monitor, false);
  await settleHeartbeatDeadline(deps.db, current, monitor);
}
