import pg from "pg";
import { type DbOptions, IDLE_CONNECTION_MS } from "./client.ts";
import type { Prisma } from "./generated/client.ts";

/** Runs one statement: PostgreSQL text with $1, $2… placeholders, rows back. */
export interface SqlClient {
  /**
   * `name`: a statement run often, parsed and planned once per connection and then only executed.
   * One name, one text (ignored where statements are not prepared).
   */
  query<T>(text: string, values?: unknown[], name?: string): Promise<T[]>;
}

export interface SqlPool extends SqlClient {
  end(): Promise<void>;
}

/**
 * node-postgres without Prisma, for the rare hot path where Prisma's own cost per statement dominates
 * (ADR 0008 has the figures). Each statement autocommits on whichever connection is free: the hot
 * paths write a batch in one statement, atomic without a transaction. Everything else goes through Prisma.
 */
export function createSqlPool(
  connectionString: string,
  options: { max?: number } & Pick<DbOptions, "idleTimeoutMs"> = {},
): SqlPool {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 4,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: options.idleTimeoutMs ?? IDLE_CONNECTION_MS,
  });
  // An idle connection that drops is discarded by the pool; the next checkout opens another.
  pool.on("error", () => {});
  return {
    query: async (text, values, name) => (await pool.query({ text, values, name })).rows,
    end: () => pool.end(),
  };
}

/** The same interface over a Prisma transaction, for code that also runs inside Prisma's. */
export function prismaSql(tx: Prisma.TransactionClient): SqlClient {
  return { query: (text, values = []) => tx.$queryRawUnsafe(text, ...values) };
}
