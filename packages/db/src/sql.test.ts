import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSqlPool, inlineValues, type SqlPool } from "./sql.ts";

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

  it("sends a last statement with its COMMIT, and rolls back when that statement fails", async () => {
    const rows = await pool.transaction(async (sql) => {
      await sql.query(`INSERT INTO ${table} VALUES ($1)`, [10]);
      return sql.queryAndCommit<{ id: number }>(`INSERT INTO ${table} VALUES (11) RETURNING id`);
    });
    expect(rows).toEqual([{ id: 11 }]);
    await expect(
      pool.transaction(async (sql) => {
        await sql.query(`INSERT INTO ${table} VALUES (12)`);
        await sql.queryAndCommit(`INSERT INTO ${table} VALUES (1)`);
      }),
    ).rejects.toThrow(/duplicate key/);
    await expect(
      pool.transaction(async (sql) => {
        await sql.queryAndCommit(`INSERT INTO ${table} VALUES (13)`);
        await sql.query("SELECT 1");
      }),
    ).rejects.toThrow(/already committed/);
    // The last one was committed before the misuse was refused.
    expect(await ids()).toEqual([1, 2, 10, 11, 13]);
  });
});

describe("inlineValues", () => {
  it("writes values PostgreSQL reads back exactly, hostile strings included", async () => {
    const strings = ["it's", "back\\slash", "E'\\'; DROP TABLE x; --", "ünï €", "$1 $2", ""];
    const at = new Date("2026-11-23T10:11:12.345Z");
    const text = inlineValues(
      "SELECT $1::text[] AS strings, $2::int[] AS ints, $3::timestamptz AS at, $4::text AS none, $5::text[] AS empty, $6::bool AS yes",
      [strings, [0, -7, null], at, null, [], true],
    );
    const [row] = await pool.query<Record<string, unknown>>(text);
    expect(row).toEqual({ strings, ints: [0, -7, null], at, none: null, empty: [], yes: true });
  });

  it("refuses values it cannot write and placeholders without a value", () => {
    expect(() => inlineValues("SELECT $1", [{}])).toThrow(/No SQL literal/);
    expect(() => inlineValues("SELECT $1", [Number.NaN])).toThrow(/No SQL literal/);
    expect(() => inlineValues("SELECT $1", [["a", "b\u0000c"]])).toThrow(/NUL/);
    expect(() => inlineValues("SELECT $2", [1])).toThrow(/No value for \$2/);
  });
});
