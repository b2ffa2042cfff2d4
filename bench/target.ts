/**
 * One benchmark target in its own process (forked by api.ts), so the load generator never shares
 * an event loop with the server it measures. `bare`: Express 5 answering {"ok":true}. `api`: the
 * real API, built as the tests build it, on a fresh database and Redis prefix of its own.
 * Reports {port} over IPC; on "stop" it closes everything, drops its database and exits.
 */
import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseEnv } from "@upfleet/config";
import { createLogger, type LogLevel } from "@upfleet/logger";
import { createTestDatabase, createTestRedis } from "@upfleet/testing";
import express from "express";
import { createApp } from "../apps/api/src/app.ts";
import { createApiDeps } from "../apps/api/src/bootstrap.ts";
import { ApiEnv } from "../apps/api/src/config.ts";

const UNLIMITED = "100000000";

async function listen(app: express.Express): Promise<Server> {
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  return server;
}

async function startBare(): Promise<{ server: Server; stop(): Promise<void> }> {
  const app = express();
  app.get("/", (_req, res) => {
    res.json({ ok: true });
  });
  return { server: await listen(app), stop: async () => {} };
}

async function startApi(): Promise<{ server: Server; stop(): Promise<void> }> {
  const database = await createTestDatabase();
  const redis = createTestRedis();
  const config = parseEnv(ApiEnv, {
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    REDIS_PREFIX: redis.prefix,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn",
    APP_SECRET: "bench-secret-bench-secret-bench-secret-0123456789",
    RATE_LIMIT_PER_MINUTE: UNLIMITED,
    RATE_LIMIT_PER_HOUR: UNLIMITED,
  });
  const { deps, close } = await createApiDeps(config, createLogger("api", config.LOG_LEVEL as LogLevel));
  const server = await listen(createApp(deps));
  return {
    server,
    stop: async () => {
      await close();
      await database.drop();
      await redis.cleanup();
    },
  };
}

const kind = process.argv[2];
if (kind !== "bare" && kind !== "api") throw new Error(`usage: target.ts bare|api (got ${kind})`);
const target = kind === "bare" ? await startBare() : await startApi();
process.send?.({ port: (target.server.address() as AddressInfo).port });
process.on("message", async (message) => {
  if (message !== "stop") return;
  target.server.closeAllConnections();
  target.server.close();
  await target.stop();
  // A normal exit, so that --cpu-prof writes its profile.
  process.exit(0);
});
