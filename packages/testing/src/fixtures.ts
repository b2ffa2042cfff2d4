// vitest fixtures: a subpath of their own, so benches and scripts can use the rest of the package outside vitest.
import type { Db, SqlPool } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import { test as base } from "vitest";
import { type AppGroup, appGroup } from "./app-launcher.ts";
import { testDb, testSqlPool } from "./pools.ts";
import { createTestDatabase, type TestDatabase } from "./postgres.ts";
import { createTestRedis, type TestRedis } from "./redis.ts";

export interface FileFixtures {
  /** A fresh, migrated database of the file's own, dropped after its last test. */
  database: TestDatabase;
  /** A Prisma client on `database`. */
  db: Db;
  /** A pool of plain SQL connections on `database`, for the hot paths that skip Prisma. */
  sql: SqlPool;
  /** An organization stored in `db`, for the rows a test seeds. */
  organizationId: string;
  /** A Redis key space of the file's own; its keys are deleted after the last test. */
  redis: TestRedis;
}

export interface TestFixtures {
  /** App processes for one test: every one still running when the test ends is killed with its group. */
  apps: AppGroup;
}

/**
 * The shared PostgreSQL, Redis and process fixtures. Each is set up only for the files and tests that
 * name it in their context, once per file for the stores and once per test for apps.
 */
export const sharedFixtures: Parameters<typeof base.extend<TestFixtures & FileFixtures>>[0] = {
  database: [
    // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern.
    async ({}, use) => {
      const database = await createTestDatabase();
      await use(database);
      await database.drop();
    },
    { scope: "file" },
  ],
  db: [
    async ({ database }, use) => {
      const db = testDb(database.url);
      await use(db);
      await db.$disconnect();
    },
    { scope: "file" },
  ],
  sql: [
    async ({ database }, use) => {
      const sql = testSqlPool(database.url);
      await use(sql);
      await sql.end();
    },
    { scope: "file" },
  ],
  organizationId: [
    async ({ db }, use) => {
      const organizationId = newId("organization");
      await db.organization.create({ data: { id: organizationId, name: "Acme" } });
      await use(organizationId);
    },
    { scope: "file" },
  ],
  redis: [
    // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern.
    async ({}, use) => {
      const redis = createTestRedis();
      await use(redis);
      await redis.cleanup();
    },
    { scope: "file" },
  ],
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern.
  apps: async ({}, use) => {
    const apps = appGroup();
    await use(apps);
    await apps.stopAll();
  },
};

type AnyTest = { extend(fixtures: object): AnyTest };

/**
 * vitest's `test` extended with each set of fixtures in `chain`, built anew from vitest's own `test`,
 * whose own `extend` does the same with one more set. vitest 3.2's `extend` adds the new fixtures to
 * the context it shares with the test it extends, so two files extending one module-level test in a
 * fork saw each other's definitions, and a fixture name both define resolved to the first file's
 * (a worker test got the alerter tests' HTTP `target`; ADR 0009). Built anew, no chain shares a context.
 */
function isolated(chain: object[]): AnyTest {
  let made = base as unknown as AnyTest;
  for (const fixtures of chain) made = made.extend(fixtures);
  made.extend = (fixtures) => isolated([...chain, fixtures]);
  return made;
}

/** `test` with the shared fixtures; every `extend` of it (and of what that returns) is a chain of its own. */
export const test = isolated([sharedFixtures]) as unknown as ReturnType<
  typeof base.extend<TestFixtures & FileFixtures>
>;

type FileFixture<T> = [(context: object, use: (value: T) => Promise<void>) => Promise<void>, { scope: "file" }];

/** A file-scoped fixture for a server or client that `open` starts, closed after the file's last test. */
export function closedAfterFile<T extends { close(): unknown }>(open: () => Promise<T> | T): FileFixture<T> {
  return [
    // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern.
    async ({}, use) => {
      const value = await open();
      await use(value);
      await value.close();
    },
    { scope: "file" },
  ];
}
