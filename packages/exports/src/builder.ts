import type { Db, Prisma } from "@upfleet/db";
import { createFormatter, type ExportFormatName } from "./format.ts";
import { COLUMNS, type ExportScope, type ExportTypeName, exportRows } from "./rows.ts";

/** Attempts in all (each claim counts one, a crashed process's included); then the export fails. */
export const MAX_EXPORT_ATTEMPTS = 3;

/** What an export's completion tells its listeners (export.completed notifications). */
export interface CompletedExport {
  id: string;
  organizationId: string;
  type: ExportTypeName;
  format: ExportFormatName;
  rowCount: number;
  sizeBytes: number;
  completedAt: Date;
}

/**
 * Runs once the completion has committed (e.g. queues what the hook created). It handles its own
 * failures: the export is completed by then, whatever it does.
 */
type AfterCommit = () => Promise<void>;

/**
 * Runs inside the transaction that marks the export completed: what it writes commits with the
 * completion or not at all, so a crash or a retry can neither lose it nor write it twice.
 */
export type OnCompleted = (
  tx: Prisma.TransactionClient,
  completed: CompletedExport,
) => Promise<AfterCommit | undefined>;

export interface BuildOptions {
  /** A chunk is written once this many bytes are pending (so chunks are this size plus one record). */
  chunkBytes: number;
  /** How long a completed file is kept. */
  fileTtlMs: number;
  onCompleted?: OnCompleted;
}

export type BuildOutcome =
  | { kind: "completed"; rowCount: number; sizeBytes: number; attempt: number }
  | { kind: "failed"; attempt: number; error: string }
  /** Nothing to do: finished already, or a later attempt took it over. */
  | { kind: "skipped"; why: string };

/** Another attempt claimed the export while this one ran: what it wrote is not the file. */
class Superseded extends Error {}

interface Claim {
  attempt: number;
  format: ExportFormatName;
  scope: ExportScope;
}

/**
 * Takes the export for a new attempt: counts it and drops what an earlier attempt wrote, in one
 * transaction. Chunk writes check the attempt under the row's lock, so an earlier attempt still
 * running (a stalled job whose process lives on) can no longer add to the file.
 */
async function claim(db: Db, exportId: string): Promise<Claim | null> {
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<
      {
        organization_id: string;
        type: ExportTypeName;
        format: ExportFormatName;
        monitor_ids: string[];
        from: Date;
        to: Date;
        attempts: number;
      }[]
    >`
      UPDATE exports SET status = 'processing', attempts = attempts + 1, started_at = now(), updated_at = now()
      WHERE id = ${exportId} AND status IN ('pending', 'processing')
      RETURNING organization_id, type::text AS type, format::text AS format, monitor_ids, "from", "to", attempts`;
    if (!row) return null;
    await tx.exportChunk.deleteMany({ where: { exportId } });
    return {
      attempt: row.attempts,
      format: row.format,
      scope: {
        organizationId: row.organization_id,
        type: row.type,
        monitorIds: row.monitor_ids,
        from: row.from,
        to: row.to,
      },
    };
  });
}

async function writeChunk(db: Db, exportId: string, attempt: number, seq: number, data: Buffer): Promise<void> {
  const written = await db.$executeRaw`
    INSERT INTO export_chunks (export_id, seq, data)
    SELECT id, ${seq}, ${data} FROM exports
    WHERE id = ${exportId} AND attempts = ${attempt} AND status = 'processing'
    FOR UPDATE`;
  if (written !== 1) throw new Superseded();
}

/** Streams the rows into chunks; returns the exact record and byte counts of the file written. */
async function writeFile(db: Db, exportId: string, claimed: Claim, chunkBytes: number) {
  const formatter = createFormatter(claimed.format, COLUMNS[claimed.scope.type]);
  const pending: Buffer[] = [];
  let pendingBytes = 0;
  let seq = 0;
  let sizeBytes = 0;
  let rowCount = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    await writeChunk(db, exportId, claimed.attempt, seq++, Buffer.concat(pending, pendingBytes));
    pending.length = 0;
    pendingBytes = 0;
  };
  const push = async (text: string) => {
    if (text === "") return;
    const bytes = Buffer.from(text, "utf8");
    pending.push(bytes);
    pendingBytes += bytes.length;
    sizeBytes += bytes.length;
    if (pendingBytes >= chunkBytes) await flush();
  };
  await push(formatter.start());
  for await (const row of exportRows(db, claimed.scope)) {
    rowCount++;
    await push(formatter.row(row));
  }
  await push(formatter.end());
  await flush();
  return { rowCount, sizeBytes };
}

/**
 * Marks the export completed with its counts, if this attempt still holds it, together with what
 * `onCompleted` writes; returns what to run after the commit.
 */
async function complete(
  db: Db,
  exportId: string,
  claimed: Claim,
  file: { rowCount: number; sizeBytes: number },
  options: BuildOptions,
): Promise<AfterCommit | undefined> {
  return db.$transaction(
    async (tx) => {
      const completedAt = new Date();
      const { count } = await tx.export.updateMany({
        where: { id: exportId, attempts: claimed.attempt, status: "processing" },
        data: {
          status: "completed",
          ...file,
          error: null,
          completedAt,
          expiresAt: new Date(completedAt.getTime() + options.fileTtlMs),
        },
      });
      if (count !== 1) throw new Superseded();
      return options.onCompleted?.(tx, {
        id: exportId,
        organizationId: claimed.scope.organizationId,
        type: claimed.scope.type,
        format: claimed.format,
        ...file,
        completedAt,
      });
    },
    // The completion also routes export.completed: under load that must not hit Prisma's 5 s default
    // and throw away a finished file.
    { maxWait: 10_000, timeout: 30_000 },
  );
}

/** Ends the export as failed (if this attempt still holds it) and drops any partial file. */
async function fail(db: Db, exportId: string, attempt: number, error: string): Promise<void> {
  await db.$transaction([
    db.export.updateMany({
      where: { id: exportId, attempts: attempt, status: "processing" },
      data: { status: "failed", error, completedAt: new Date() },
    }),
    db.exportChunk.deleteMany({ where: { exportId, export: { status: "failed" } } }),
  ]);
}

/**
 * One attempt at an export: claim, stream rows into chunks, complete with exact counts. An error is
 * rethrown for the queue to retry while attempts remain; the last one marks the export failed. The
 * `error` users see says what to do, never the internal cause (the caller logs that).
 */
export async function buildExport(db: Db, exportId: string, options: BuildOptions): Promise<BuildOutcome> {
  const claimed = await claim(db, exportId);
  if (!claimed) return { kind: "skipped", why: "not pending" };
  const { attempt } = claimed;
  if (attempt > MAX_EXPORT_ATTEMPTS) {
    const error = `Gave up after ${MAX_EXPORT_ATTEMPTS} attempts (each was interrupted); create the export again`;
    await fail(db, exportId, attempt, error);
    return { kind: "failed", attempt, error };
  }
  let file: { rowCount: number; sizeBytes: number };
  let afterCommit: AfterCommit | undefined;
  try {
    file = await writeFile(db, exportId, claimed, options.chunkBytes);
    afterCommit = await complete(db, exportId, claimed, file, options);
  } catch (cause) {
    if (cause instanceof Superseded) return { kind: "skipped", why: "superseded by a later attempt" };
    if (attempt < MAX_EXPORT_ATTEMPTS) throw cause;
    const error = `Building the export failed ${MAX_EXPORT_ATTEMPTS} times; create it again`;
    await fail(db, exportId, attempt, error);
    return { kind: "failed", attempt, error };
  }
  // Outside the try: the export is completed by now, so nothing here may retry or fail it.
  await afterCommit?.();
  return { kind: "completed", ...file, attempt };
}
