import { AppError } from "@upfleet/errors";
import { Prisma } from "./generated/client.ts";

type Tx = Prisma.TransactionClient;

/** An organization's soft-deleted resources that other rows name by id, and how a 404 names them. */
const TABLES = {
  channel: { table: "notification_channels", one: "Notification channel", many: "Notification channels" },
  policy: { table: "escalation_policies", one: "Escalation policy", many: "Escalation policies" },
  monitor: { table: "monitors", one: "Monitor", many: "Monitors" },
} as const;

export type ReferenceKind = keyof typeof TABLES;

/**
 * Asserts that every id names a live resource of the organization, else a 404 naming the missing
 * ones (another tenant's ids included: they do not exist for the caller). The rows stay share-locked
 * until the transaction ends, so a concurrent delete, which locks them for update and then looks for
 * references, either waits for this write and sees it or goes first and makes this a 404.
 */
export async function requireOwned(tx: Tx, kind: ReferenceKind, organizationId: string, ids: readonly string[]) {
  if (ids.length === 0) return;
  const { table, one, many } = TABLES[kind];
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM ${Prisma.raw(`"${table}"`)}
    WHERE id = ANY(${[...ids]}::text[]) AND organization_id = ${organizationId} AND deleted_at IS NULL
    FOR SHARE`;
  const found = new Set(rows.map((row) => row.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length === 1) throw new AppError("not_found", `${one} ${missing[0]} does not exist`);
  if (missing.length > 1) throw new AppError("not_found", `${many} ${missing.join(", ")} do not exist`);
}

/** Locks a live row of the organization for update (deletes take this before looking for references). */
export async function lockOwned(tx: Tx, kind: ReferenceKind, organizationId: string, id: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM ${Prisma.raw(`"${TABLES[kind].table}"`)}
    WHERE id = ${id} AND organization_id = ${organizationId} AND deleted_at IS NULL
    FOR UPDATE`;
  return rows.length === 1;
}
