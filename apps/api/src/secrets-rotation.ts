import { channelCredentials } from "@upfleet/channels";
import type { Db, Prisma } from "@upfleet/db";
import { parseStoredObject } from "@upfleet/errors";
import { monitorCredentials } from "@upfleet/monitors";
import { type Keyring, rotateDocument } from "@upfleet/secrets";

export interface RotationReport {
  monitors: number;
  channels: number;
  /** Rows that could not be rewritten (a value under a key the ring does not list), by id. */
  failed: { id: string; error: string }[];
}

const BATCH = 500;

/**
 * `pnpm secrets:rotate`: rewrites every stored credential under the ring's current key: rows from
 * before encryption at rest are sealed, values under older keys re-encrypted. Idempotent (rows
 * already under the current key are not written), so it can be rerun after a failure; once it
 * reports no failures the older keys can leave ENCRYPTION_KEY. Soft-deleted rows are rewritten too.
 */
export async function rotateSecrets(db: Db, ring: Keyring): Promise<RotationReport> {
  const report: RotationReport = { monitors: 0, channels: 0, failed: [] };
  /** Runs `rewrite` on every row, page by page in id order; returns how many rows it rewrote. */
  const rewriteAll = async <Row extends { id: string }>(
    page: (after: string) => Promise<Row[]>,
    rewrite: (row: Row) => Promise<boolean>,
  ) => {
    let rewritten = 0;
    for (let rows = await page(""); rows.length > 0; rows = await page(rows[rows.length - 1]!.id)) {
      for (const row of rows) {
        const wrote = await rewrite(row).catch((error: unknown) => {
          report.failed.push({ id: row.id, error: (error as Error).message });
          return false;
        });
        if (wrote) rewritten += 1;
      }
    }
    return rewritten;
  };
  const inOrder = (after: string) => ({ where: { id: { gt: after } }, orderBy: { id: "asc" as const }, take: BATCH });

  report.monitors = await rewriteAll(
    (after) => db.monitor.findMany({ ...inOrder(after), select: { id: true, settings: true } }),
    async (row) => {
      const settings = parseStoredObject(row.settings, "monitor settings");
      const { doc, changed } = rotateDocument(settings, monitorCredentials(settings), ring);
      // A new updated_at is a new schedule version: the reconciler hands the workers the new spec.
      if (changed) await db.monitor.update({ where: { id: row.id }, data: { settings: doc as Prisma.InputJsonValue } });
      return changed;
    },
  );
  report.channels = await rewriteAll(
    (after) => db.notificationChannel.findMany({ ...inOrder(after), select: { id: true, type: true, config: true } }),
    async (row) => {
      const config = parseStoredObject(row.config, "channel config");
      const { doc, changed } = rotateDocument(config, channelCredentials(row.type), ring);
      if (changed)
        await db.notificationChannel.update({ where: { id: row.id }, data: { config: doc as Prisma.InputJsonValue } });
      return changed;
    },
  );
  return report;
}
