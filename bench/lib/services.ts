import { createDb, type Db, type Prisma } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import { TYPE_DEFAULTS } from "@upfleet/monitors";
import { createTestDatabase, createTestRedis, monitorRow, type TestDatabase, type TestRedis } from "@upfleet/testing";
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

export interface HttpMonitorsOptions {
  targetUrl: string;
  intervalS: number;
  timeoutMs: number;
  region: string;
  /** Extra columns, e.g. confirmations. */
  fields?: Partial<Prisma.MonitorUncheckedCreateInput>;
}

/**
 * Seeds `count` http monitors checking `<targetUrl>/m/<i>` in chunks of 1,000 (one insert each) and
 * returns their ids in order.
 */
export async function seedHttpMonitors(db: Db, organizationId: string, count: number, o: HttpMonitorsOptions) {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 1_000) {
    const data = Array.from({ length: Math.min(count - start, 1_000) }, (_, k) =>
      monitorRow(organizationId, {
        name: `bench ${start + k}`,
        settings: { ...TYPE_DEFAULTS.http, url: `${o.targetUrl}/m/${start + k}` },
        intervalSeconds: o.intervalS,
        timeoutMs: o.timeoutMs,
        regions: [o.region],
        tags: ["bench"],
        ...o.fields,
      }),
    );
    await db.monitor.createMany({ data });
    ids.push(...data.map((row) => row.id as string));
  }
  return ids;
}
