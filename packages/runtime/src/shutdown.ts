import type { Logger } from "@upfleet/logger";

/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits 0; a second signal or a stop that overruns
 * `deadlineMs` exits 1 so an orchestrator is never left waiting.
 */
export function onShutdown(logger: Logger, stop: (signal: string) => Promise<void>, deadlineMs = 30_000): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, "shutting down");
    const timer = setTimeout(() => {
      logger.error({ deadlineMs }, "shutdown overran its deadline");
      process.exit(1);
    }, deadlineMs);
    timer.unref();
    stop(signal).then(
      () => {
        logger.info("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", handle);
  process.once("SIGINT", handle);
}
