import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSqlPool, type SqlPool } from "./sql.ts";

// packages/testing builds on this package, so the test uses the server's own database and a table of its own.
const SERVER_URL = process.env.TEST_DATABASE_SERVER_URL ?? "postgresql://postgres@127.0.0.1:5432";
const table = `sql_test_${randomBytes(6).toString("hex")}`;
let pool: SqlPool;

beforeAll(async () => {
  pool = createSqlPool(`${SERVER_URL}/postgres`, { max: 2 });
  await pool.query(`CREATE TABLE ${table} (id int PRIMARY KEY)`);
});
afterAll(async () => {
  await pool.query(`DROP TABLE IF EXISTS ${table}`);
  await pool.end();
});

const ids = async () => (await pool.query<{ id: number }>(`SELECT id FROM ${table} ORDER BY id`)).map((r) => r.id);

describe("SqlPool.transaction", () => {
  it("sends a first statement without parameters with its BEGIN, and returns that statement's rows", async () => {
    const rows = await pool.transaction(async (sql) => {
      const inserted = await sql.query<{ id: number }>(`INSERT INTO ${table} VALUES (1), (2) RETURNING id`);
      // Still inside the transaction: txid is assigned by the insert and the same for the next statement.
      const [a] = await sql.query<{ txid: string }>("SELECT txid_current()::text AS txid");
      const [b] = await sql.query<{ txid: string }>("SELECT txid_current()::text AS txid");
      expect(a!.txid).toBe(b!.txid);
      return inserted;
    });
    expect(rows.map((r) => r.id)).toEqual([1, 2]);
    expect(await ids()).toEqual([1, 2]);
  });

  it("rolls the whole transaction back when the work throws, a piggybacked first statement included", async () => {
    await expect(
      pool.transaction(async (sql) => {
        await sql.query(`INSERT INTO ${table} VALUES (3)`);
        await sql.query(`INSERT INTO ${table} VALUES ($1)`, [4]);
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    await expect(
      pool.transaction(async (sql) => {
        await sql.query(`INSERT INTO ${table} VALUES ($1)`, [5]);
        await sql.query(`INSERT INTO ${table} VALUES (1)`);
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await ids()).toEqual([1, 2]);
  });
});
