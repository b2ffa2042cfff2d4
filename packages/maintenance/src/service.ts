import {
  byKey,
  type Db,
  decodeCursor,
  type KeyFilter,
  type PageRequest,
  pageQuery,
  requireOwned,
  toPage,
  uniqueKey,
} from "@upfleet/db";
import { NotFoundError, ValidationError } from "@upfleet/errors";
import { newId } from "@upfleet/ids";
import type { Repeat } from "./occurrences.ts";
import { type PresentedWindow, presentWindow, type WindowRow } from "./present.ts";
import { type NewWindow, type WindowPatch, windowProblems } from "./schemas.ts";

export interface Tenant {
  organizationId: string;
}

export interface WindowFilters extends KeyFilter {
  /** Windows naming this monitor. */
  monitor_id?: string | undefined;
  /** Windows with an occurrence on now (true) or not (false). */
  active?: boolean | undefined;
}

const ENTITY = "Maintenance window";

function columnsFrom(fields: Partial<NewWindow>) {
  return {
    ...(fields.key !== undefined ? { key: fields.key } : {}),
    ...(fields.name !== undefined ? { name: fields.name } : {}),
    ...(fields.monitor_ids !== undefined ? { monitorIds: fields.monitor_ids } : {}),
    ...(fields.starts_at !== undefined ? { startsAt: new Date(fields.starts_at) } : {}),
    ...(fields.ends_at !== undefined ? { endsAt: new Date(fields.ends_at) } : {}),
    ...(fields.repeat !== undefined ? { repeat: fields.repeat } : {}),
    ...(fields.timezone !== undefined ? { timezone: fields.timezone } : {}),
  };
}

export async function createWindow(db: Db, tenant: Tenant, input: NewWindow) {
  return uniqueKey("maintenance window", input.key, () =>
    db.$transaction(async (tx) => {
      await requireOwned(tx, "monitor", tenant.organizationId, input.monitor_ids);
      const row = await tx.maintenanceWindow.create({
        data: {
          id: newId("maintenanceWindow"),
          organizationId: tenant.organizationId,
          name: input.name,
          startsAt: new Date(input.starts_at),
          endsAt: new Date(input.ends_at),
          ...columnsFrom(input),
        },
      });
      return presentWindow(row, Date.now());
    }),
  );
}

/** Rows read per round while filtering on `active`, which only the occurrences can tell. */
const ACTIVE_SCAN_BATCH = 500;

/**
 * Newest first. `active` is decided per row (a repeating window's occurrences are computed, not
 * stored), so that filter reads on in id order until the page is full, and the cursor stays the
 * last id shown, as every list's.
 */
export async function listWindows(db: Db, tenant: Tenant, filters: WindowFilters, page: PageRequest) {
  const now = Date.now();
  const where = {
    organizationId: tenant.organizationId,
    ...(filters.monitor_id !== undefined ? { monitorIds: { has: filters.monitor_id } } : {}),
    ...byKey(filters),
  };
  const present = (row: WindowRow) => presentWindow(row, now);
  if (filters.active === undefined) {
    const query = pageQuery(page);
    return toPage(
      await db.maintenanceWindow.findMany({ ...query, where: { ...query.where, ...where } }),
      page,
      present,
    );
  }
  const matched: PresentedWindow[] = [];
  let before = page.cursor ? decodeCursor(page.cursor) : null;
  while (matched.length <= page.limit) {
    const rows = await db.maintenanceWindow.findMany({
      where: { ...where, ...(before ? { id: { lt: before } } : {}) },
      orderBy: { id: "desc" },
      take: ACTIVE_SCAN_BATCH,
    });
    matched.push(...rows.map(present).filter((window) => window.active === filters.active));
    if (rows.length < ACTIVE_SCAN_BATCH) break;
    before = rows.at(-1)!.id;
  }
  return toPage(matched.slice(0, page.limit + 1), page, (window) => window);
}

export async function getWindow(db: Db, tenant: Tenant, id: string) {
  const row = await db.maintenanceWindow.findFirst({ where: { id, organizationId: tenant.organizationId } });
  if (!row) throw new NotFoundError(ENTITY, id);
  return presentWindow(row, Date.now());
}

/**
 * The patch is merged onto the window, which is checked again as a whole (a new ends_at against the
 * stored starts_at). The row is locked first, so two PATCHes each valid alone cannot combine into an
 * invalid window. Only the monitors the patch names are checked: a monitor deleted since the window
 * was written does not block renaming it.
 */
export async function updateWindow(db: Db, tenant: Tenant, id: string, patch: WindowPatch) {
  return db.$transaction(async (tx) => {
    const [current] = await tx.$queryRaw<{ starts_at: Date; ends_at: Date; repeat: Repeat | null }[]>`
      SELECT starts_at, ends_at, repeat::text AS repeat FROM maintenance_windows
      WHERE id = ${id} AND organization_id = ${tenant.organizationId}
      FOR UPDATE`;
    if (!current) throw new NotFoundError(ENTITY, id);
    const problems = windowProblems({
      starts_at: patch.starts_at ?? current.starts_at.toISOString(),
      ends_at: patch.ends_at ?? current.ends_at.toISOString(),
      repeat: patch.repeat === undefined ? current.repeat : patch.repeat,
    });
    if (problems.length) throw new ValidationError(problems);
    await requireOwned(tx, "monitor", tenant.organizationId, patch.monitor_ids ?? []);
    const row = await uniqueKey("maintenance window", patch.key, () =>
      tx.maintenanceWindow.update({ where: { id }, data: columnsFrom(patch) }),
    );
    return presentWindow(row, Date.now());
  });
}

/** Hard delete: the window's time counts towards uptime again. */
export async function deleteWindow(db: Db, tenant: Tenant, id: string): Promise<void> {
  const { count } = await db.maintenanceWindow.deleteMany({ where: { id, organizationId: tenant.organizationId } });
  if (count === 0) throw new NotFoundError(ENTITY, id);
}
