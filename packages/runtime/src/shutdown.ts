import type { Logger } from "@upfleet/logger";

/**
 * How long any app may take to stop after SIGTERM: the longest check (timeout_ms ≤ 60 s) plus
 * publishing its result. One number for every app, so `pnpm start`, compose and Kubernetes give each
 * process the same grace (deploy/README.md); deploy/test checks their grace periods exceed it.
 */
export const SHUTDOWN_DEADLINE_MS = 70_000;

/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits 0; a second signal or a stop that overruns
 * `deadlineMs` exits 1 so an orchestrator is never left waiting.
 */
export function onShutdown(
  logger: Logger,
  stop: (signal: string) => Promise<void>,
  deadlineMs = SHUTDOWN_DEADLINE_MS,
): void {
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
