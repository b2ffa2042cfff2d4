import { createDb, type Db } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import { createTestDatabase, type TestDatabase } from "@upfleet/testing";

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
      const id = newId("monitor");
      await db.monitor.create({
        data: {
          id,
          organizationId,
          name: `Site ${id.slice(-4)}`,
          type: "http",
          settings: { url: "https://example.com" },
          intervalSeconds: 60,
          timeoutMs: 5_000,
          regions: ["eu-west", "us-east"],
          tags: [],
          ...fields,
        },
      });
      return id;
    },
    async event(monitorId, type, tick) {
      const id = newId("event");
      const down = type === "monitor.down";
      await db.monitorEvent.create({
        data: {
          id,
          organizationId,
          monitorId,
          type,
          fromStatus: down ? "up" : "down",
          toStatus: down ? "down" : type === "monitor.up" ? "up" : "degraded",
          tick: new Date(tick),
          cause: {
            error: down ? "status" : null,
            http_status: down ? 503 : 200,
            response_ms: down ? null : 120,
            message: null,
            region: "eu-west",
            failing_regions: down ? ["eu-west", "us-east"] : [],
            reporting_regions: ["eu-west", "us-east"],
            missing_regions: [],
          },
        },
      });
      return id;
    },
    async close() {
      await db.$disconnect();
      await database.drop();
    },
  };
}
