import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { applyMigrations, pendingSchemaChange } from "./migrator.ts";

const server = process.env.TEST_DATABASE_SERVER_URL ?? "postgresql://postgres@127.0.0.1:5432";
const scratch: string[] = [];
const BEFORE_PARTITIONS = "20261206003511_custom_domain_verification";

/** The URL of a database of the test's own (the migrator creates it), dropped after the file. */
function scratchDatabase(): string {
  const url = new URL(server);
  url.pathname = `/upfleet_test_${randomBytes(6).toString("hex")}`;
  scratch.push(url.pathname.slice(1));
  return url.toString();
}

afterAll(async () => {
  const admin = new pg.Client({ connectionString: new URL("/postgres", server).toString() });
  await admin.connect();
  for (const name of scratch) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

describe("migrations", () => {
  // Also proves the engine reads the hand-written CHECK constraints (it once panicked on them) and
  // leaves them alone: a diff that dropped them would show here.
  it("take the database exactly to schema.prisma", async () => {
    expect(await pendingSchemaChange(scratchDatabase())).toBeNull();
  });
});

describe("the check_results partitioning migration", () => {
  it("moves every existing row into its day's partition, keyed by the monitor's new seq", async () => {
    const url = scratchDatabase();
    await applyMigrations(url, { through: BEFORE_PARTITIONS });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`INSERT INTO organizations (id, name, updated_at) VALUES ('org_a', 'A', now())`);
      await client.query(`
        INSERT INTO monitors (id, organization_id, name, type, settings, interval_seconds, timeout_ms, regions, tags, updated_at)
        VALUES ('mon_a', 'org_a', 'a', 'http', '{}', 60, 5000, '{local}', '{}', now()),
               ('mon_b', 'org_a', 'b', 'http', '{}', 60, 5000, '{local}', '{}', now())`);
      // Rows over several days, one far in the past, with and without details.
      await client.query(`
        INSERT INTO check_results (id, monitor_id, region, tick, checked_at, status, response_ms, http_status, error, message, details)
        SELECT 'chk_' || lpad(i::text, 26, '0'), CASE WHEN i % 2 = 0 THEN 'mon_a' ELSE 'mon_b' END, 'local',
               now() - i * interval '7 hours', now() - i * interval '7 hours' + interval '90 ms',
               CASE WHEN i % 5 = 0 THEN 'down' ELSE 'up' END::"CheckOutcome", 100 + i, 200,
               NULL, NULL, CASE WHEN i % 5 = 0 THEN '{"timings": {"total": 3}}' ELSE '{}' END::jsonb
        FROM generate_series(0, 39) AS i
        UNION ALL
        SELECT 'chk_old', 'mon_a', 'eu', now() - interval '100 days', now() - interval '100 days', 'up', 1, 200, NULL, NULL, '{}'`);

      expect(await applyMigrations(url)).toContain("20261206061000_check_results_partitioned");

      const { rows } = await client.query<{ monitor: string; day: string; partition: string; details: unknown }>(`
        SELECT m.id AS monitor, to_char(r.tick AT TIME ZONE 'UTC', 'YYYYMMDD') AS day,
               r.tableoid::regclass::text AS partition, r.details
        FROM check_results r JOIN monitors m ON m.seq = r.monitor_seq`);
      expect(rows).toHaveLength(41);
      for (const row of rows) expect(row.partition).toBe(`check_partitions.check_results_${row.day}`);
      expect(rows.filter((r) => r.monitor === "mon_a")).toHaveLength(21);
      // Empty details became NULL; the others are as they were.
      expect(rows.filter((r) => r.details !== null)).toHaveLength(8);
      const { rows: ahead } = await client.query<{ n: number }>(`
        SELECT count(*)::int AS n FROM generate_series(0, 2) AS d
        WHERE to_regclass('check_partitions.check_results_' ||
                          to_char((now() AT TIME ZONE 'UTC')::date + d, 'YYYYMMDD')) IS NOT NULL`);
      expect(ahead[0]!.n).toBe(3);
    } finally {
      await client.end();
    }
    expect(await pendingSchemaChange(url)).toBeNull();
  });
});
