import type { Worker } from "bullmq";

/**
 * Closes a BullMQ worker without crashing the process. A worker closed while its blocking
 * connection is still starting has that connection's start-up fail after BullMQ removed its error
 * listeners, an unhandled 'error' that exits the process (seen on SIGTERM right after start), so the
 * connection gets `readyWithinMs` to finish starting first; with Redis down it never does, and the
 * close goes ahead.
 */
export async function closeWorker(worker: Worker, readyWithinMs = 2_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, readyWithinMs);
  });
  await Promise.race([
    worker.waitUntilReady().then(
      () => undefined,
      () => undefined,
    ),
    timeout,
  ]);
  clearTimeout(timer);
  await worker.close();
}
