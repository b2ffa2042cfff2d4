import type { AddressInfo } from "node:net";
import { loadEnvOrExit } from "@upfleet/config";
import { createLogger } from "@upfleet/logger";
import { connectRedis } from "@upfleet/queue/redis";
import {
  closeRedis,
  createMetricsRegistry,
  logRedisOutages,
  onShutdown,
  redisProbe,
  startHealthServer,
} from "@upfleet/runtime";
import { WorkerEnv } from "./config.ts";
import { startWorker } from "./worker.ts";

const config = loadEnvOrExit(WorkerEnv);
const logger = createLogger("worker", config.LOG_LEVEL).child({ region: config.REGION });

const redis = connectRedis(config);
logRedisOutages(redis, logger);

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

// Starting takes a moment (it probes whether this machine can send ICMP): a signal meanwhile stops it
// once started.
const worker = startWorker(config, { redis, logger, metrics });

// Checks in flight may take up to their timeout (≤ 60 s) to finish: SHUTDOWN_DEADLINE_MS allows for that.
onShutdown(logger, async () => {
  await (await worker).stop();
  await new Promise<void>((resolve, reject) => health.close((error) => (error ? reject(error) : resolve())));
  await closeRedis(redis);
});
