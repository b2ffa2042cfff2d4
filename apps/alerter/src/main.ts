import type { AddressInfo } from "node:net";
import { loadEnvOrExit } from "@upfleet/config";
import { createDb } from "@upfleet/db";
import { createLogger } from "@upfleet/logger";
import { createMetricsRegistry, onShutdown, postgresProbe, redisProbe, startHealthServer } from "@upfleet/runtime";
import { Redis } from "ioredis";
import { startAlerter } from "./alerter.ts";
import { AlerterEnv } from "./config.ts";

const config = loadEnvOrExit(AlerterEnv);
const logger = createLogger("alerter", config.LOG_LEVEL);

const db = createDb(config.DATABASE_URL);
const redis = new Redis(config.REDIS_URL);
// ioredis retries forever and emits an error per attempt: log an outage once, not every retry.
let redisDown = false;
redis.on("error", (error: Error) => {
  if (!redisDown) logger.warn({ err: error }, "redis unreachable; retrying");
  redisDown = true;
});
redis.on("ready", () => {
  if (redisDown) logger.info("redis reachable again");
  redisDown = false;
});

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

const alerter = startAlerter(config, { db, redis, logger, metrics });

onShutdown(logger, async () => {
  await alerter.stop();
  await new Promise<void>((resolve, reject) => health.close((error) => (error ? reject(error) : resolve())));
  // QUIT would wait in the offline queue while Redis is away; then there is nothing to flush anyway.
  if (redis.status === "ready") await redis.quit();
  else redis.disconnect();
  await db.$disconnect();
});
