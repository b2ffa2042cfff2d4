// vitest fixtures: a subpath of their own, so benches and scripts can use the rest of the package outside vitest.
import { createDb, createSqlPool, type Db, type SqlPool } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import { test as base } from "vitest";
import { type AppGroup, appGroup } from "./app-launcher.ts";
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
      const db = createDb(database.url);
      await use(db);
      await db.$disconnect();
    },
    { scope: "file" },
  ],
  sql: [
    async ({ database }, use) => {
      const sql = createSqlPool(database.url);
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

/**
 * `test` with the shared fixtures. A file may `extend` it; a helper that makes tests with settings of
 * their own extends vitest's `test` with `sharedFixtures` instead, each time: vitest 3.2's `extend` adds
 * the new fixtures to the context it shares with the test it extends, so a second `extend` of one test
 * would hand one file's definitions to the files that extend it later in the fork.
 */
export const test = base.extend<TestFixtures & FileFixtures>(sharedFixtures);

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
