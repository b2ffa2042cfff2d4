import type { AddressInfo } from "node:net";
import { loadEnvOrExit } from "@upfleet/config";
import { createDb } from "@upfleet/db";
import { createLogger } from "@upfleet/logger";
import { connectRedis } from "@upfleet/queue/redis";
import {
  boundHeapGrowth,
  closeRedis,
  createMetricsRegistry,
  logRedisOutages,
  onShutdown,
  postgresProbe,
  redisProbe,
  startHealthServer,
} from "@upfleet/runtime";
import { resolveKeyring } from "@upfleet/secrets";
import { startAlerter } from "./alerter.ts";
import { AlerterEnv } from "./config.ts";

// Garbage waiting for a full collection was most of the alerter's RSS under load (BENCHMARKS.md, issue #15).
boundHeapGrowth(50);
const config = loadEnvOrExit(AlerterEnv);
const logger = createLogger("alerter", config.LOG_LEVEL);

const db = createDb(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE });
const redis = connectRedis(config);
logRedisOutages(redis, logger);

const metrics = createMetricsRegistry("alerter");
const health = await startHealthServer({
  port: config.HEALTH_PORT,
  probes: [postgresProbe(db), redisProbe(redis)],
  metrics,
}).catch((error: unknown) => {
  logger.fatal({ err: error }, `cannot serve health checks on HEALTH_PORT ${config.HEALTH_PORT}`);
  process.exit(1);
});
logger.info({ port: (health.address() as AddressInfo).port }, "health server listening");

const keyring = await resolveKeyring(db, config.ENCRYPTION_KEY);
const alerter = startAlerter(config, { db, redis, logger, metrics, keyring });

onShutdown(logger, async () => {
  await alerter.stop();
  await new Promise<void>((resolve, reject) => health.close((error) => (error ? reject(error) : resolve())));
  await closeRedis(redis);
  await db.$disconnect();
});
