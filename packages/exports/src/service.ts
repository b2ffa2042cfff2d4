import { type Db, type PageRequest, pageQuery, type RoleName, requireOwned, toPage } from "@upfleet/db";
import { LimitExceededError, NotFoundError } from "@upfleet/errors";
import { newId } from "@upfleet/ids";
import type { ExportFormatName } from "./format.ts";
import type { DownloadHolder, DownloadLinks } from "./links.ts";
import type { ExportTypeName } from "./rows.ts";
import type { NewExport } from "./schemas.ts";

export interface Tenant {
  organizationId: string;
}

/** Unfinished (pending or processing) exports an organization may have at once. */
export const MAX_UNFINISHED_EXPORTS = 5;

/** What presenting an export needs: where links point and how they are signed. */
export interface LinkMaker {
  publicUrl: string;
  links: DownloadLinks;
  /** Who asks: the links handed out die when this user or key is removed or revoked. */
  holder: DownloadHolder;
  /** Whether the caller may read what exports of this type hold (a link is that data). */
  mayRead(type: ExportTypeName): boolean;
}

interface ExportRow {
  id: string;
  type: ExportTypeName;
  format: ExportFormatName;
  status: "pending" | "processing" | "completed" | "failed";
  rowCount: number | null;
  sizeBytes: bigint | null;
  error: string | null;
  expiresAt: Date | null;
  createdAt: Date;
}

/** Whether a completed export's file is still there to download. */
const downloadable = (row: ExportRow, now: number) =>
  row.status === "completed" && row.expiresAt !== null && row.expiresAt.getTime() > now;

/**
 * The API's export (API.md "Exports and reports"). `download_url` is a fresh link (an hour) while the
 * file is kept, for a caller who may read that type's data (else null: `exports:read` alone must not
 * open check results or incidents the caller cannot read through the API); once it has expired the export stays `completed`, with its counts, a null link and
 * `expires_at` in the past. `error` is shown only for a failed export.
 */
async function presentExport(row: ExportRow, maker: LinkMaker, now = Date.now()) {
  let downloadUrl: string | null = null;
  let linkExpiresAt: string | null = null;
  if (downloadable(row, now) && maker.mayRead(row.type)) {
    const { token, expiresAt } = await maker.links.sign(row.id, maker.holder, new Date(now));
    downloadUrl = `${maker.publicUrl.replace(/\/$/, "")}/api/v1/exports/${row.id}/download?token=${token}`;
    linkExpiresAt = expiresAt.toISOString();
  }
  const fileExpiresAt = row.expiresAt?.toISOString() ?? null;
  return {
    id: row.id,
    type: row.type,
    format: row.format,
    status: row.status,
    row_count: row.rowCount,
    size_bytes: row.sizeBytes === null ? null : Number(row.sizeBytes),
    download_url: downloadUrl,
    // Two lifetimes a reader confuses (issue #16): the link's hour and the file's day, each named;
    // `expires_at` stays as it was, the file's, for clients written against it.
    download_url_expires_at: linkExpiresAt,
    file_expires_at: fileExpiresAt,
    expires_at: fileExpiresAt,
    error: row.status === "failed" ? row.error : null,
    created_at: row.createdAt.toISOString(),
  };
}

/**
 * Stores a pending export; the caller queues its build after this returns (committed). The
 * organization's exports are counted under a transaction-scoped advisory lock, so two requests at
 * once cannot both take the last slot.
 */
export async function createExport(
  db: Db,
  tenant: Tenant,
  input: NewExport,
): Promise<{ id: string; status: "pending" }> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`exports:${tenant.organizationId}`}))`;
    const unfinished = await tx.export.count({
      where: { organizationId: tenant.organizationId, status: { in: ["pending", "processing"] } },
    });
    if (unfinished >= MAX_UNFINISHED_EXPORTS) {
      throw new LimitExceededError(
        `${unfinished} exports are already pending or processing (at most ${MAX_UNFINISHED_EXPORTS}); wait for one to finish`,
      );
    }
    await requireOwned(tx, "monitor", tenant.organizationId, input.monitor_ids ?? []);
    const row = await tx.export.create({
      data: {
        id: newId("export"),
        organizationId: tenant.organizationId,
        type: input.type,
        format: input.format,
        monitorIds: input.monitor_ids ?? [],
        from: new Date(input.from),
        to: new Date(input.to),
      },
    });
    return { id: row.id, status: "pending" as const };
  });
}

export async function listExports(db: Db, tenant: Tenant, page: PageRequest, maker: LinkMaker) {
  const query = pageQuery(page);
  const rows = await db.export.findMany({ ...query, where: { ...query.where, organizationId: tenant.organizationId } });
  const now = Date.now();
  const presented = await Promise.all(rows.map((row) => presentExport(row, maker, now)));
  return toPage(presented, page, (item) => item);
}

export async function getExport(db: Db, tenant: Tenant, id: string, maker: LinkMaker) {
  const row = await db.export.findFirst({ where: { id, organizationId: tenant.organizationId } });
  if (!row) throw new NotFoundError("Export", id);
  return presentExport(row, maker);
}

export interface ExportFile {
  organizationId: string;
  type: ExportTypeName;
  format: ExportFormatName;
  filename: string;
  sizeBytes: number;
  /** The file's bytes, a chunk at a time. */
  chunks: AsyncIterable<Uint8Array>;
}

/** The file of a downloadable export (the link's token was checked first); 404 once it has expired. */
export async function openExportFile(db: Db, id: string): Promise<ExportFile> {
  const row = await db.export.findUnique({ where: { id } });
  if (!row || !downloadable(row, Date.now())) throw new NotFoundError("Export file", id);
  const seqs = await db.exportChunk.findMany({
    where: { exportId: id },
    select: { seq: true },
    orderBy: { seq: "asc" },
  });
  async function* chunks() {
    for (const { seq } of seqs) {
      const chunk = await db.exportChunk.findUnique({ where: { exportId_seq: { exportId: id, seq } } });
      // Swept away mid-download (the file just expired): stop short; the length tells the client.
      if (!chunk) return;
      yield chunk.data;
    }
  }
  return {
    organizationId: row.organizationId,
    type: row.type,
    format: row.format,
    filename: `upfleet-${row.type}-${row.id}.${row.format}`,
    sizeBytes: Number(row.sizeBytes ?? 0),
    chunks: chunks(),
  };
}

/** What the holder of a download link may do now: their role, and their key's scopes (null: a session). */
export interface HolderStanding {
  role: RoleName;
  keyScopes: string[] | null;
}

/**
 * Whether the user and key a link was handed to still stand, read afresh at each download: the user
 * still in the export's organization, the key (if the link came through one) theirs, neither revoked
 * nor expired. Null when they do not: the link died with them.
 */
export async function holderStanding(
  db: Db,
  organizationId: string,
  holder: DownloadHolder,
  now = new Date(),
): Promise<HolderStanding | null> {
  const user = await db.user.findFirst({ where: { id: holder.userId, organizationId }, select: { role: true } });
  if (!user) return null;
  if (holder.apiKeyId === null) return { role: user.role, keyScopes: null };
  const key = await db.apiKey.findFirst({
    where: { id: holder.apiKeyId, userId: holder.userId, organizationId, revokedAt: null, expiresAt: { gt: now } },
    select: { scopes: true },
  });
  return key ? { role: user.role, keyScopes: key.scopes } : null;
}
