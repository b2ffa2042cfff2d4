import type { Db } from "@upfleet/db";
import { DAY_MS, utcDay } from "./policy.ts";

/** Where the migration put check_results' partitions: a schema Prisma's diff does not read. */
const SCHEMA = "check_partitions";
const DEFAULT_PARTITION = `"${SCHEMA}"."check_results_default"`;
/** Serialises partition changes between alerters (any constant both sides agree on). */
const PARTITION_LOCK = 0x75_70_66_70; // "upfp"
/**
 * A partition change waits this long for its locks and otherwise gives up until the next run:
 * ingest never waits on it for longer.
 */
const LOCK_TIMEOUT_MS = 100;

export interface CheckPartition {
  name: string;
  /** Midnight UTC of its day; it holds ticks in [day, day + 24 h). */
  day: Date;
}

const nameOf = (day: Date) => `check_results_${day.toISOString().slice(0, 10).replaceAll("-", "")}`;
const qualified = (name: string) => `"${SCHEMA}"."${name}"`;
const bound = (at: Date) => `'${at.toISOString()}'`;

/** The daily partitions attached to check_results, oldest first (the default one is not listed). */
export async function listCheckPartitions(db: Db): Promise<CheckPartition[]> {
  const rows = await db.$queryRaw<{ name: string }[]>`
    SELECT c.relname AS name FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'public.check_results'::regclass AND c.relname ~ '^check_results_[0-9]{8}$'
    ORDER BY c.relname`;
  return rows.map(({ name }) => {
    const d = name.slice(-8);
    return { name, day: new Date(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}T00:00:00Z`) };
  });
}

/**
 * Creates the partition of `day` unless it exists. Rows the default partition took for that day
 * (results that came before their partition) move into it in the same transaction, so none is lost
 * and PostgreSQL accepts the new bounds. Returns whether it created one; false also when a lock
 * was not had within LOCK_TIMEOUT_MS (the next run tries again, and meanwhile the default takes rows).
 */
async function createPartition(db: Db, day: Date): Promise<boolean> {
  const name = nameOf(day);
  const from = bound(day);
  const to = bound(new Date(day.getTime() + DAY_MS));
  try {
    return await db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT_MS}ms'`);
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${PARTITION_LOCK})`;
      const [found] = await tx.$queryRaw<{ exists: boolean }[]>`
        SELECT to_regclass(${qualified(name)}) IS NOT NULL AS exists`;
      if (found?.exists) return false;
      const [held] = await tx.$queryRawUnsafe<{ rows: boolean }[]>(
        `SELECT EXISTS (SELECT 1 FROM ${DEFAULT_PARTITION} WHERE tick >= ${from} AND tick < ${to}) AS rows`,
      );
      // Rows to move: readers wait for the move as a whole. A query planned against the old set of
      // partitions that ran after the commit would find the day's rows neither in the default (deleted)
      // nor in the new partition (not in its plan): an export read 0 of 700 rows that way. Every
      // query locks check_results before it looks up its partitions, so this lock makes them plan afresh.
      if (held?.rows) await tx.$executeRawUnsafe("LOCK TABLE check_results IN ACCESS EXCLUSIVE MODE");
      await tx.$executeRawUnsafe(`CREATE TABLE ${qualified(name)} (LIKE check_results INCLUDING DEFAULTS)`);
      // Locked first so no row for this day can land in the default between the move and the attach.
      await tx.$executeRawUnsafe(`LOCK TABLE ${DEFAULT_PARTITION} IN SHARE ROW EXCLUSIVE MODE`);
      await tx.$executeRawUnsafe(
        `WITH moved AS (DELETE FROM ${DEFAULT_PARTITION} WHERE tick >= ${from} AND tick < ${to} RETURNING *)
         INSERT INTO ${qualified(name)} SELECT * FROM moved`,
      );
      await tx.$executeRawUnsafe(
        `ALTER TABLE check_results ATTACH PARTITION ${qualified(name)} FOR VALUES FROM (${from}) TO (${to})`,
      );
      return true;
    });
  } catch (error) {
    if (isLockTimeout(error)) return false;
    throw error;
  }
}

function isLockTimeout(error: unknown): boolean {
  return /lock timeout|55P03/.test(String((error as { message?: string }).message ?? error));
}

/**
 * Makes sure check_results has a partition for today and `daysAhead` days after it, and for every
 * day the default partition holds rows of (it then empties). Safe to run from several alerters at
 * once. Returns the partitions it created.
 */
export async function ensureCheckPartitions(db: Db, now = new Date(), daysAhead = 3): Promise<string[]> {
  const today = utcDay(now);
  const days = new Map<number, Date>();
  for (let i = 0; i <= daysAhead; i++) {
    const day = new Date(today.getTime() + i * DAY_MS);
    days.set(day.getTime(), day);
  }
  const stray = await db.$queryRawUnsafe<{ day: Date }[]>(
    `SELECT DISTINCT date_trunc('day', tick AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day FROM ${DEFAULT_PARTITION}`,
  );
  for (const { day } of stray) days.set(day.getTime(), day);
  const created: string[] = [];
  // Today and ahead first: moving a long backlog out of the default holds its lock, and today's
  // results should already be going to their own partition by then.
  const first = (d: Date) => (d.getTime() >= today.getTime() ? 0 : 1);
  const order = [...days.values()].sort((a, b) => first(a) - first(b) || a.getTime() - b.getTime());
  for (const day of order) {
    if (await createPartition(db, day)) created.push(nameOf(day));
  }
  return created.sort();
}

/**
 * Drops every daily partition whose whole day is before `cutoff`: a few catalog changes whatever
 * the rows, never a row-by-row DELETE. Rows of such days in the default partition (results that
 * came after their day was dropped) go too. `beforeDrop` is given each day first, to keep what only
 * its raw rows can tell. Returns the partitions dropped; one whose lock was not had within
 * LOCK_TIMEOUT_MS stays for the next run.
 */
export async function dropCheckPartitionsBefore(
  db: Db,
  cutoff: Date,
  beforeDrop: (day: Date) => Promise<unknown> = async () => {},
): Promise<string[]> {
  const dropped: string[] = [];
  for (const { name, day } of await listCheckPartitions(db)) {
    if (day.getTime() + DAY_MS > cutoff.getTime()) break;
    await beforeDrop(day);
    try {
      await db.$transaction([
        db.$executeRawUnsafe(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT_MS}ms'`),
        db.$executeRawUnsafe(`DROP TABLE ${qualified(name)}`),
      ]);
      dropped.push(name);
    } catch (error) {
      if (!isLockTimeout(error)) throw error;
    }
  }
  await db.$executeRawUnsafe(`DELETE FROM ${DEFAULT_PARTITION} WHERE tick < ${bound(cutoff)}`);
  return dropped;
}

/** A closed day's partition is rebuilt once it can no longer take on-time results. */
const COMPACT_AFTER_MS = 2 * 3_600_000;
const COMPACTED = "compacted";

/**
 * Rebuilds the primary-key index of every day partition that closed more than COMPACT_AFTER_MS ago
 * and has not been rebuilt yet. A day's results arrive a tick at a time across all monitors, so the
 * index (monitor first) fills its pages by splitting them, some half full; rebuilt once the day is
 * over it is packed (BENCHMARKS.md, storage, has the bytes it saves). CONCURRENTLY: reads and late
 * results go on meanwhile. Returns the partitions rebuilt.
 */
export async function compactClosedPartitions(db: Db, now = new Date()): Promise<string[]> {
  const rows = await db.$queryRaw<{ name: string; index: string; note: string | null }[]>`
    SELECT c.relname AS name, x.indexrelid::regclass::text AS index, obj_description(c.oid, 'pg_class') AS note
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    JOIN pg_index x ON x.indrelid = c.oid AND x.indisprimary
    WHERE i.inhparent = 'public.check_results'::regclass AND c.relname ~ '^check_results_[0-9]{8}$'
    ORDER BY c.relname`;
  const partitions = new Map((await listCheckPartitions(db)).map((p) => [p.name, p.day]));
  const compacted: string[] = [];
  for (const { name, index, note } of rows) {
    const day = partitions.get(name);
    if (!day || note === COMPACTED || day.getTime() + DAY_MS + COMPACT_AFTER_MS > now.getTime()) continue;
    await db.$executeRawUnsafe(`REINDEX INDEX CONCURRENTLY ${index}`);
    await db.$executeRawUnsafe(`COMMENT ON TABLE ${qualified(name)} IS '${COMPACTED}'`);
    compacted.push(name);
  }
  return compacted;
}
