import { createDb, type Db } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from "@upfleet/testing";
import { onCleanup } from "./harness.ts";

export interface BenchServices {
  database: TestDatabase;
  redis: TestRedis;
  /** The harness's own client, for seeding and reading figures back. */
  db: Db;
}

/** A fresh migrated database and a Redis prefix of the run's own, dropped when the run ends. */
export async function freshServices(poolSize = 2): Promise<BenchServices> {
  const database = await createTestDatabase();
  onCleanup("drop the database", () => database.drop());
  const redis = createTestRedis();
  onCleanup("delete the Redis keys", () => redis.cleanup());
  const db = createDb(database.url, { poolSize });
  onCleanup("disconnect", () => db.$disconnect());
  return { database, redis, db };
}

/** The organization a bench's monitors belong to. */
export async function benchOrganization(db: Db): Promise<string> {
  const id = newId("organization");
  await db.organization.create({ data: { id, name: "Bench" } });
  return id;
}
