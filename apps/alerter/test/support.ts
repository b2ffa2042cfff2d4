import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createDb, type Db, type Monitor, type Prisma } from "@upfleet/db";
import { newId } from "@upfleet/ids";
import { TYPE_DEFAULTS } from "@upfleet/monitors";
import { type AppProcess, createTestDatabase, startApp, type TestDatabase } from "@upfleet/testing";

export const ALERTER_DIR = fileURLToPath(new URL("..", import.meta.url));
export const WORKER_DIR = fileURLToPath(new URL("../../worker", import.meta.url));

export type Behaviour = { status: number; delayMs?: number };

/** An HTTP target on loopback whose answer a test can change, counting requests per path. */
export async function startTarget(): Promise<{
  url: string;
  behave(b: Behaviour): void;
  hits: Map<string, number>;
  close(): Promise<void>;
}> {
  let behaviour: Behaviour = { status: 200 };
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    hits.set(req.url ?? "/", (hits.get(req.url ?? "/") ?? 0) + 1);
    const { status, delayMs = 0 } = behaviour;
    const timer = setTimeout(() => res.writeHead(status).end("service ok"), delayMs);
    res.on("close", () => clearTimeout(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    behave: (b) => {
      behaviour = b;
    },
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A database with one organization, and a way to add monitors straight into it. */
export async function seedDatabase(): Promise<{
  database: TestDatabase;
  db: Db;
  httpMonitor(url: string, fields?: Partial<Prisma.MonitorUncheckedCreateInput>): Promise<Monitor>;
}> {
  const database = await createTestDatabase();
  const db = createDb(database.url);
  const organizationId = newId("organization");
  await db.organization.create({ data: { id: organizationId, name: "Acme" } });
  return {
    database,
    db,
    httpMonitor: (url, fields = {}) =>
      db.monitor.create({
        data: {
          id: newId("monitor"),
          organizationId,
          name: url,
          type: "http",
          settings: { ...TYPE_DEFAULTS.http, url } as Prisma.InputJsonValue,
          intervalSeconds: 10,
          timeoutMs: 2_000,
          regions: ["local"],
          tags: [],
          ...fields,
        },
      }),
  };
}

export interface Services {
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
}

export function startAlerter(s: Services): Promise<AppProcess & { url: string }> {
  return startApp({
    cwd: ALERTER_DIR,
    env: {
      DATABASE_URL: s.databaseUrl,
      REDIS_URL: s.redisUrl,
      REDIS_PREFIX: s.redisPrefix,
      HEALTH_PORT: "0",
      REGIONS: "local",
      LOG_LEVEL: "info",
    },
    timeoutMs: 30_000,
  });
}

export function startWorker(s: Services, env: Record<string, string> = {}): Promise<AppProcess & { url: string }> {
  return startApp({
    cwd: WORKER_DIR,
    env: {
      REDIS_URL: s.redisUrl,
      REDIS_PREFIX: s.redisPrefix,
      HEALTH_PORT: "0",
      REGION: "local",
      OUTBOUND_ALLOW_CIDRS: "127.0.0.0/8",
      LOG_LEVEL: "info",
      DATABASE_URL: undefined as unknown as string,
      ...env,
    },
    timeoutMs: 30_000,
  });
}
