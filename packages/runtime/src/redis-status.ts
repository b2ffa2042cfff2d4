import type { Logger } from "@upfleet/logger";
import type { Cluster, Redis } from "ioredis";

/**
 * ioredis retries forever and emits an error per attempt: log an outage once when it starts and
 * once when it ends, not every retry.
 */
export function logRedisOutages(redis: Redis | Cluster, logger: Logger): void {
  let down = false;
  redis.on("error", (error: Error) => {
    if (!down) logger.warn({ err: error }, "redis unreachable; retrying");
    down = true;
  });
  redis.on("ready", () => {
    if (down) logger.info("redis reachable again");
    down = false;
  });
}

/** QUIT would wait in the offline queue while Redis is away; then there is nothing to flush anyway. */
export async function closeRedis(redis: Redis | Cluster): Promise<void> {
  if (redis.status === "ready") await redis.quit();
  else redis.disconnect();
}
