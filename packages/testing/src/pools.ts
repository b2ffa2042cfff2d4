// PostgreSQL connections of a test run: the suite's forks and the apps they start share the server's
// default limit of 100 (ADR 0009 has the measured peaks).
import { createDb, createSqlPool, type Db, type SqlPool } from "@upfleet/db";

/**
 * DATABASE_POOL_SIZE of every app a test starts: an alerter opened its 10 at start, when its loops all
 * look for work at once, and kept them, though a test's few rows need no more than a few.
 */
export const APP_POOL_SIZE = 3;

/** Test code's own connections close after a second idle, not hold what a burst of seeding opened until the file ends. */
const IDLE_MS = 1_000;

/** A Prisma client for test code (fixtures, seeding). */
export const testDb = (url: string): Db => createDb(url, { idleTimeoutMs: IDLE_MS });

/** A plain SQL pool for test code. */
export const testSqlPool = (url: string): SqlPool => createSqlPool(url, { idleTimeoutMs: IDLE_MS });
