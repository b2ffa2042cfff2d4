import type { Db } from "@upfleet/db";
import type { Logger } from "@upfleet/logger";
import type { Redis } from "ioredis";
import type { AlerterConfig } from "./config.ts";

export interface AlerterDeps {
  db: Db;
  redis: Redis;
  logger: Logger;
}

export interface RunningAlerter {
  /** Stops consuming and waits for the work in hand. */
  stop(): Promise<void>;
}

/**
 * The seam where the alerter will consume `results` and deliver notifications. Nothing is
 * consumed yet; it only announces itself.
 */
export function startAlerter(_config: AlerterConfig, deps: AlerterDeps): RunningAlerter {
  deps.logger.info("alerter started");
  return { stop: async () => {} };
}
