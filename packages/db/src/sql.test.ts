import { randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import { createSqlPool, type SqlPool } from "./sql.ts";

// packages/testing builds on this package, so its fixtures are out of reach: the file extends vitest's
// `test` itself, with the server's own database and a table of its own.
const SERVER_URL = process.env.TEST_DATABASE_SERVER_URL ?? "postgresql://postgres@127.0.0.1:5432";
const table = `sql_test_${randomBytes(6).toString("hex")}`;

/** `pool` on the server's database, with the file's table created; `ids` reads the table's ids in order. */
const it = test.extend<{ pool: SqlPool; ids: () => Promise<number[]> }>({
  pool: [
    // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern.
    async ({}, use) => {
      const pool = createSqlPool(`${SERVER_URL}/postgres`, { max: 2 });
      await pool.query(`CREATE TABLE ${table} (id int PRIMARY KEY)`);
      await use(pool);
      await pool.query(`DROP TABLE IF EXISTS ${table}`);
      await pool.end();
    },
    { scope: "file" },
  ],
  ids: async ({ pool }, use) =>
    use(async () => (await pool.query<{ id: number }>(`SELECT id FROM ${table} ORDER BY id`)).map((r) => r.id)),
});

describe("SqlPool", () => {
  it("runs statements with parameters, and a named one prepared once per connection", async ({ pool, ids }) => {
    await pool.query(`INSERT INTO ${table} SELECT * FROM unnest($1::int[])`, [[1, 2]]);
    const insert = `INSERT INTO ${table} VALUES ($1) RETURNING id`;
    for (const id of [3, 4, 5, 6]) {
      expect(await pool.query(insert, [id], "sql_test_insert")).toEqual([{ id }]);
    }
    const prepared = await pool.query<{ name: string }>("SELECT name FROM pg_prepared_statements");
    expect(await ids()).toEqual([1, 2, 3, 4, 5, 6]);
    // This connection prepared it (the others may have too); unnamed statements leave nothing behind.
    expect(prepared.map((p) => p.name).filter((n) => n !== "sql_test_insert")).toEqual([]);
  });

  it("rejects with PostgreSQL's error and stays usable", async ({ pool }) => {
    await expect(pool.query(`INSERT INTO ${table} VALUES ($1)`, [1])).rejects.toMatchObject({ code: "23505" });
    expect(await pool.query("SELECT 1 AS one")).toEqual([{ one: 1 }]);
  });
});
