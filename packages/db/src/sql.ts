import pg from "pg";
import type { Prisma } from "./generated/client.ts";

/** Runs one statement: PostgreSQL text with $1, $2… placeholders, rows back. */
export interface SqlClient {
  query<T>(text: string, values?: unknown[]): Promise<T[]>;
}

export interface SqlPool extends SqlClient {
  /**
   * BEGIN, `work`, COMMIT (ROLLBACK if it throws), on one connection. A first statement without
   * parameters goes out with the BEGIN, in one round trip (give the hot ones literal values).
   */
  transaction<T>(work: (client: SqlClient) => Promise<T>): Promise<T>;
  end(): Promise<void>;
}

/**
 * node-postgres without Prisma, for the rare hot path where Prisma's own cost dominates: a Prisma
 * interactive transaction costs about 5 ms of CPU before any statement (measured on our 2-core
 * machines), which capped heartbeat ping batches at ~600 pings/s; the same transaction here costs a
 * fraction of a millisecond. Everything else goes through Prisma.
 */
export function createSqlPool(connectionString: string, options: { max?: number } = {}): SqlPool {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 4, connectionTimeoutMillis: 5_000 });
  // An idle connection that drops is discarded by the pool; the next checkout opens another.
  pool.on("error", () => {});
  return {
    // One statement on whichever connection is free: autocommit, no BEGIN/COMMIT round trips.
    query: async (text, values) => (await pool.query(text, values)).rows,
    async transaction(work) {
      const connection = await pool.connect();
      let broken = false;
      let begun = false;
      const query = async (text: string, values?: unknown[]) => {
        if (begun) return (await connection.query(text, values)).rows;
        begun = true;
        if (values?.length) {
          await connection.query("BEGIN");
          return (await connection.query(text, values)).rows;
        }
        // Two statements in one simple query: node-postgres answers with a result each.
        const results = (await connection.query(`BEGIN;\n${text}`)) as unknown as pg.QueryResult[];
        return results.at(-1)!.rows;
      };
      try {
        const result = await work({ query });
        if (begun) await connection.query("COMMIT");
        return result;
      } catch (error) {
        if (begun)
          await connection.query("ROLLBACK").catch(() => {
            broken = true;
          });
        throw error;
      } finally {
        // A connection that could not even roll back is not handed out again.
        connection.release(broken);
      }
    },
    end: () => pool.end(),
  };
}

/** The same interface over a Prisma transaction, for code that also runs inside Prisma's. */
export function prismaSql(tx: Prisma.TransactionClient): SqlClient {
  return { query: (text, values = []) => tx.$queryRawUnsafe(text, ...values) };
}
