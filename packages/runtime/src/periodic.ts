/**
 * Work run at start and every `everyMs`, one pass at a time: a pass still running when the timer
 * fires is joined, not doubled. A failed pass goes to `onError` and the next one runs as planned.
 */
export class Periodic {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly work: () => Promise<void>,
    private readonly everyMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    void this.pass();
    this.timer = setInterval(() => void this.pass(), this.everyMs);
  }

  /** Runs a pass now (or joins the one running). */
  pass(): Promise<void> {
    this.running ??= this.work()
      .catch(this.onError)
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Stops the timer and waits for a pass in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
