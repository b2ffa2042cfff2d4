import type { AddressInfo } from "node:net";
import { loadEnvOrExit } from "@upfleet/config";
import { createLogger } from "@upfleet/logger";
import { createMetricsRegistry, onShutdown, redisProbe, startHealthServer } from "@upfleet/runtime";
import { Redis } from "ioredis";
import { WorkerEnv } from "./config.ts";
import { startWorker } from "./worker.ts";

const config = loadEnvOrExit(WorkerEnv);
const logger = createLogger("worker", config.LOG_LEVEL).child({ region: config.REGION });

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

const metrics = createMetricsRegistry("worker");
const health = await startHealthServer({
  port: config.HEALTH_PORT,
  probes: [redisProbe(redis)],
  metrics,
}).catch((error: unknown) => {
  logger.fatal({ err: error }, `cannot serve health checks on HEALTH_PORT ${config.HEALTH_PORT}`);
  process.exit(1);
});
logger.info({ port: (health.address() as AddressInfo).port }, "health server listening");

const worker = startWorker(config, { redis, logger, metrics });

// Checks in flight may take up to their timeout (≤ 60 s) to finish before we exit.
onShutdown(
  logger,
  async () => {
    await worker.stop();
    await new Promise<void>((resolve, reject) => health.close((error) => (error ? reject(error) : resolve())));
    // QUIT would wait in the offline queue while Redis is away; then there is nothing to flush anyway.
    if (redis.status === "ready") await redis.quit();
    else redis.disconnect();
  },
  70_000,
);
