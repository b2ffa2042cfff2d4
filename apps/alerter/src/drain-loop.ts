import type { Logger } from "@upfleet/logger";

export interface DrainLoopOptions {
  /** How often to look for work nobody announced (another process', or a missed wake-up). */
  pollMs?: number;
  logger: Logger;
  /** Logged (at most every 10 s) while batches fail; they are retried at the next wake-up. */
  failure: string;
}

/**
 * Runs `runBatch` until it reports nothing left, when woken and every `pollMs`. One pass at a time
 * per process: a wake-up during a pass runs another right after it (the pass under way may have
 * missed the newest work). Consumers of database queues (SKIP LOCKED) share work through it, by
 * composition or by extending it with `super(() => this.batch(), …)`.
 */
export class DrainLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private lastErrorLog = 0;

  /** `runBatch` returns whether it found work (and so whether another batch may find more). */
  constructor(
    private readonly runBatch: () => Promise<boolean>,
    private readonly loop: DrainLoopOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.wake(), this.loop.pollMs ?? 500);
    this.wake();
  }

  /** Runs a pass now, or right after the one under way. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped && (await this.runBatch()));
    } catch (error) {
      // Retried every pass; while the database is down, once every 10 s in the log is enough.
      if (Date.now() - this.lastErrorLog < 10_000) return;
      this.lastErrorLog = Date.now();
      this.loop.logger.error({ err: error }, this.loop.failure);
    }
  }
}
