/** Runs a batch in one go: one result per item, in the items' order (nothing when callers only wait). */
export type BatchRunner<In, Out> = (
  items: In[],
) => undefined extends Out ? Promise<Out[]> | Promise<void> : Promise<Out[]>;

export interface BatcherOptions {
  /** Items in one batch at most (default 200); a full batch goes without waiting. */
  maxBatch?: number;
  /**
   * How long a batch gathers items after its first one. Default 0: until the current turn of the
   * event loop is over, so a lone item costs no wait.
   */
  maxWaitMs?: number;
  /**
   * Batches running at once (default 1). Items arriving meanwhile wait for one to end and go together,
   * so the number of round trips tracks what the database can take, not the load (group commit).
   */
  maxInFlight?: number;
  /** A failed batch is run again item by item, so one bad item fails alone (default: all of it fails). */
  isolateFailures?: boolean;
}

interface Pending<In, Out> {
  item: In;
  resolve: (value: Out) => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers items from concurrent callers into batches. A batch goes when it is full or its wait is
 * over, as soon as fewer than `maxInFlight` run; items arriving while it waits for a slot join it.
 * Each caller's promise settles once its item's batch has run, which is the backpressure: callers
 * that await go at the pace of the batches. `close` refuses new items and resolves once every item
 * given has been run.
 */
export class Batcher<In, Out = void> {
  readonly #run: BatchRunner<In, Out>;
  readonly #maxBatch: number;
  readonly #maxWaitMs: number;
  readonly #maxInFlight: number;
  readonly #isolateFailures: boolean;
  #waiting: Pending<In, Out>[] = [];
  /** The waiting items' wait is over: they go as soon as a slot is free. */
  #due = false;
  #timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  readonly #running = new Set<Promise<void>>();
  #closed = false;

  constructor(run: BatchRunner<In, Out>, options: BatcherOptions = {}) {
    this.#run = run;
    this.#maxBatch = options.maxBatch ?? 200;
    this.#maxWaitMs = options.maxWaitMs ?? 0;
    this.#maxInFlight = options.maxInFlight ?? 1;
    this.#isolateFailures = options.isolateFailures ?? false;
  }

  /** Resolves with the item's result once its batch has run. */
  add(item: In): Promise<Out> {
    if (this.#closed) return Promise.reject(new Error("The batcher is closed"));
    return new Promise<Out>((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      if (this.#waiting.length >= this.#maxBatch) this.#send();
      else this.#startWait();
    });
  }

  /** Items waiting for a batch. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Refuses new items, sends the waiting ones at once and resolves when every batch has run. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#send();
    while (this.#running.size > 0) await Promise.all(this.#running);
  }

  #startWait(): void {
    if (this.#due || this.#timer) return;
    const send = () => this.#send();
    this.#timer = this.#maxWaitMs > 0 ? setTimeout(send, this.#maxWaitMs) : setImmediate(send);
  }

  #send(): void {
    if (this.#timer) {
      clearTimeout(this.#timer as NodeJS.Timeout);
      clearImmediate(this.#timer as NodeJS.Immediate);
      this.#timer = undefined;
    }
    this.#due = true;
    this.#pump();
  }

  #pump(): void {
    while (this.#due && this.#waiting.length > 0 && this.#running.size < this.#maxInFlight) {
      const batch = this.#waiting.splice(0, this.#maxBatch);
      const running: Promise<void> = this.#execute(batch).finally(() => {
        this.#running.delete(running);
        this.#pump();
      });
      this.#running.add(running);
    }
    if (this.#waiting.length === 0) this.#due = false;
  }

  async #execute(batch: Pending<In, Out>[]): Promise<void> {
    let results: Out[] | undefined;
    try {
      // The runner's type allows no results only when Out admits undefined.
      results = (await this.#run(batch.map((p) => p.item))) as Out[] | undefined;
    } catch (error) {
      if (this.#isolateFailures && batch.length > 1) {
        await Promise.all(batch.map((p) => this.#execute([p])));
      } else {
        for (const p of batch) p.reject(error);
      }
      return;
    }
    for (const [i, p] of batch.entries()) p.resolve(results?.[i] as Out);
  }
}
