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
  const attempt = (id: string, rewrite: () => Promise<boolean>) =>
    rewrite().catch((error: unknown) => {
      report.failed.push({ id, error: (error as Error).message });
      return false;
    });
  for (let after = ""; ; ) {
    const rows = await db.monitor.findMany({
      where: { id: { gt: after } },
      select: { id: true, settings: true },
      orderBy: { id: "asc" },
      take: BATCH,
    });
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.id;
    for (const row of rows) {
      const wrote = await attempt(row.id, async () => {
        const settings = parseStoredObject(row.settings, "monitor settings");
        const { doc, changed } = rotateDocument(settings, monitorCredentials(settings), ring);
        // A new updated_at is a new schedule version: the reconciler hands the workers the new spec.
        if (changed)
          await db.monitor.update({ where: { id: row.id }, data: { settings: doc as Prisma.InputJsonValue } });
        return changed;
      });
      if (wrote) report.monitors += 1;
    }
  }
  for (let after = ""; ; ) {
    const rows = await db.notificationChannel.findMany({
      where: { id: { gt: after } },
      select: { id: true, type: true, config: true },
      orderBy: { id: "asc" },
      take: BATCH,
    });
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.id;
    for (const row of rows) {
      const wrote = await attempt(row.id, async () => {
        const config = parseStoredObject(row.config, "channel config");
        const { doc, changed } = rotateDocument(config, channelCredentials(row.type), ring);
        if (changed) {
          await db.notificationChannel.update({
            where: { id: row.id },
            data: { config: doc as Prisma.InputJsonValue },
          });
        }
        return changed;
      });
      if (wrote) report.channels += 1;
    }
  }
  return report;
}
