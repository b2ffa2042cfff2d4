import pg from "pg";
import type { Prisma } from "./generated/client.ts";

/** Runs one statement: PostgreSQL text with $1, $2… placeholders, rows back. */
export interface SqlClient {
  query<T>(text: string, values?: unknown[]): Promise<T[]>;
}

export interface TransactionClient extends SqlClient {
  /** The transaction's last statement, without parameters (see `inlineValues`), sent with its COMMIT in one round trip. */
  queryAndCommit<T>(text: string): Promise<T[]>;
}

export interface SqlPool extends SqlClient {
  /**
   * BEGIN, `work`, COMMIT (ROLLBACK if it throws), on one connection. A first statement without
   * parameters goes out with the BEGIN, in one round trip (give the hot ones literal values).
   */
  transaction<T>(work: (client: TransactionClient) => Promise<T>): Promise<T>;
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
      let committed = false;
      const query = async (text: string, values?: unknown[]) => {
        if (committed) throw new Error("The transaction is already committed");
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
      const queryAndCommit = async (text: string) => {
        if (committed) throw new Error("The transaction is already committed");
        const statements = `${begun ? "" : "BEGIN;\n"}${text};\nCOMMIT`;
        begun = true;
        // The statement's error stops the rest of the query string: no COMMIT, and the catch rolls back.
        const results = (await connection.query(statements)) as unknown as pg.QueryResult[];
        committed = true;
        return results.at(-2)!.rows;
      };
      try {
        const result = await work({ query, queryAndCommit });
        if (begun && !committed) await connection.query("COMMIT");
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

function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (Array.isArray(value)) return `ARRAY[${value.map(literal).join(",")}]`;
  if (typeof value === "string") {
    // A NUL would end the query string early; PostgreSQL text cannot hold one anyway.
    if (value.includes("\u0000")) throw new Error("No SQL literal for a string with NUL");
    return pg.escapeLiteral(value);
  }
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "boolean") return String(value);
  if (value instanceof Date) return `'${value.toISOString()}'`;
  throw new Error(`No SQL literal for ${typeof value} ${String(value).slice(0, 40)}`);
}

/**
 * A statement's $1, $2… written into its text as literals (strings escaped as node-postgres escapes
 * them), so that it can share a round trip with BEGIN or COMMIT. Keep each placeholder's cast
 * (`$1::text[]`): an empty array has no type of its own.
 */
export function inlineValues(text: string, values: unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    if (Number(n) < 1 || Number(n) > values.length) throw new Error(`No value for $${n}`);
    return literal(values[Number(n) - 1]);
  });
}

/** The same interface over a Prisma transaction, for code that also runs inside Prisma's. */
export function prismaSql(tx: Prisma.TransactionClient): SqlClient {
  return { query: (text, values = []) => tx.$queryRawUnsafe(text, ...values) };
}
