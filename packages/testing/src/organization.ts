import type { Db } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import { testDb } from "./pools.ts";
import { createTestDatabase, type TestDatabase } from "./postgres.ts";

export interface TestOrganization {
  database: TestDatabase;
  db: Db;
  /** An organization stored in `db`, for the rows a test seeds. */
  organizationId: string;
  /** Disconnects and drops the database. */
  close(): Promise<void>;
}

/** A fresh database (createTestDatabase) with a Prisma client and one organization, for a package's test file. */
export async function createTestOrganization(): Promise<TestOrganization> {
  const database = await createTestDatabase();
  const db = testDb(database.url);
  const close = async () => {
    await db.$disconnect();
    await database.drop();
  };
  const organizationId = newId("organization");
  try {
    await db.organization.create({ data: { id: organizationId, name: "Acme" } });
  } catch (error) {
    await close();
    throw error;
  }
  return { database, db, organizationId, close };
}
