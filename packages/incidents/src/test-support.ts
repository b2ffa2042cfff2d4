import { createDb, type Db } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import { createTestDatabase, monitorRow, stateChangeRow, type TestDatabase } from "@upfleet/testing";

const REGIONS = ["eu-west", "us-east"];

/** A database of its own with one organization, and monitors and state changes written straight in. */
export async function seed(): Promise<{
  database: TestDatabase;
  db: Db;
  organizationId: string;
  monitor(fields?: { paused?: boolean; deletedAt?: Date }): Promise<string>;
  event(monitorId: string, type: "monitor.down" | "monitor.up" | "monitor.degraded", tick: number): Promise<string>;
  close(): Promise<void>;
}> {
  const database = await createTestDatabase();
  const db = createDb(database.url);
  const organizationId = newId("organization");
  await db.organization.create({ data: { id: organizationId, name: "Acme" } });
  return {
    database,
    db,
    organizationId,
    async monitor(fields = {}) {
      const row = monitorRow(organizationId, { name: "Site", regions: REGIONS, ...fields });
      await db.monitor.create({ data: row });
      return row.id;
    },
    async event(monitorId, type, tick) {
      const row = stateChangeRow(organizationId, monitorId, type, new Date(tick), REGIONS);
      await db.monitorEvent.create({ data: row });
      return row.id;
    },
    async close() {
      await db.$disconnect();
      await database.drop();
    },
  };
}
