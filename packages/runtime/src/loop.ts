/** While a database is down, one report per 10 s is enough. */
const ERROR_REPORT_EVERY_MS = 10_000;
/**
 * A failed pass is retried this soon, then twice as late each time up to RETRY_MAX_MS (or `everyMs`
 * if sooner): with a net of minutes, the work a wake-up announced must not wait for it because one
 * pass hit a transient error (a pool busy at start, a deadlock, a restart of PostgreSQL).
 */
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 30_000;

/** Resolves to true when it found work, so another batch may find more. */
type Pass = () => Promise<boolean> | Promise<void>;

export interface LoopOptions {
  /** A pass runs at start and this often: the net for work nobody announced with `wake`. */
  everyMs: number;
  /** Hears of a failed pass (at most once every 10 s); the loop goes on. */
  onError: (error: unknown) => void;
}

/**
 * Runs `pass` at start, every `everyMs` and when woken, never two at once. A pass that returns true
 * found work and runs again straight away, so a queue is drained until empty; one that throws is
 * retried with a backoff. A timer tick during a
 * pass joins it; a wake-up during one runs another right after, because the pass under way may have
 * missed the newest work. `wakeAt` runs one when work comes due, so `everyMs` can be a slow net.
 * Use it by composition or by extending it with `super(() => this.batch(), …)`.
 */
export class Loop {
  // ES private fields, so classes extending the loop can name their own fields freely.
  readonly #pass: Pass;
  readonly #options: LoopOptions;
  #timer: NodeJS.Timeout | undefined;
  #dueTimer: NodeJS.Timeout | undefined;
  /** The instant `#dueTimer` is set for. */
  #dueAt: number | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;
  #lastErrorReport = 0;
  /** Failed passes in a row. */
  #failures = 0;

  constructor(pass: Pass, options: LoopOptions) {
    this.#pass = pass;
    this.#options = options;
  }

  start(): void {
    this.#timer = setInterval(() => void this.run(), this.#options.everyMs);
    void this.run();
  }

  /** Runs a pass now, or once more right after the one under way. */
  wake(): void {
    if (this.#running) this.#again = true;
    else void this.run();
  }

  /**
   * Runs a pass at `at` (ms since the epoch), when something is due then: unless one is already set
   * for sooner, or `at` is past the next periodic pass (which will look again).
   */
  wakeAt(at: number): void {
    if (this.#stopped || (this.#dueAt !== undefined && this.#dueAt <= at)) return;
    const wait = Math.max(0, at - Date.now());
    if (wait >= this.#options.everyMs) return;
    clearTimeout(this.#dueTimer);
    this.#dueAt = at;
    // +1: a timer may fire within its last millisecond, before the instant is due.
    this.#dueTimer = setTimeout(() => {
      this.#dueAt = undefined;
      this.wake();
    }, wait + 1);
  }

  /** Forgets the instant given to `wakeAt`: a pass found that what was due then has moved. */
  forgetWake(): void {
    clearTimeout(this.#dueTimer);
    this.#dueAt = undefined;
  }

  /** Runs a pass now, or joins the one under way; resolves when it is over. */
  run(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    this.#running ??= this.#drain().finally(() => {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        this.wake();
      }
    });
    return this.#running;
  }

  /** Stops the timer and waits for a pass in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    clearTimeout(this.#dueTimer);
    await this.#running;
  }

  async #drain(): Promise<void> {
    try {
      while (!this.#stopped && (await this.#pass()) === true);
      this.#failures = 0;
    } catch (error) {
      this.#failures++;
      this.wakeAt(Date.now() + Math.min(RETRY_FIRST_MS * 2 ** (this.#failures - 1), RETRY_MAX_MS));
      if (Date.now() - this.#lastErrorReport < ERROR_REPORT_EVERY_MS) return;
      this.#lastErrorReport = Date.now();
      this.#options.onError(error);
    }
  }
}
