import type { Logger } from "@upfleet/logger";
import type { Redis } from "ioredis";
import type { WorkerConfig } from "./config.ts";

export interface WorkerDeps {
  redis: Redis;
  logger: Logger;
}

export interface RunningWorker {
  /** Stops taking jobs and waits for those in flight. */
  stop(): Promise<void>;
}

/** The queue this worker serves; one per region. */
export const checksQueueName = (region: string) => `checks:${region}`;

/**
 * The seam where the worker will consume `checks:<region>` (BullMQ, `CONCURRENCY` jobs at once).
 * Check execution is not built yet, so for now it only announces what it would serve.
 */
export function startWorker(config: WorkerConfig, deps: WorkerDeps): RunningWorker {
  deps.logger.info({ queue: checksQueueName(config.REGION), concurrency: config.CONCURRENCY }, "worker started");
  return { stop: async () => {} };
}
