/** Runs a batch of items in one go; answers one result per item, in the items' order. */
export type BatchRunner<In, Out> = (items: In[]) => Promise<Out[]>;

interface Pending<In, Out> {
  item: In;
  resolve: (value: Out) => void;
  reject: (error: unknown) => void;
}

export interface BatcherOptions {
  /**
   * Batches running at once (default 1); items arriving meanwhile wait for one to end and go
   * together. One is a group commit: at a few ms per round trip, two in flight halved the batches.
   */
  maxInFlight?: number;
  /** Items in one batch at most. */
  maxBatch?: number;
}

/**
 * Group commit for concurrent callers: each `run(item)` joins the batch being gathered, which goes
 * once the current turn of the event loop is over (or at once when it is full) as long as fewer
 * than `maxInFlight` batches are running, and otherwise as soon as one ends. Under light load a
 * batch is one item and costs no wait; under a burst, items gather while the round trips of earlier
 * batches are out, so the number of round trips tracks what the database can take, not the load.
 *
 * A batch that fails is run again item by item, so one bad item fails alone.
 */
export class MicroBatcher<In, Out> {
  private queue: Pending<In, Out>[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxInFlight: number;
  private readonly maxBatch: number;

  constructor(
    private readonly runner: BatchRunner<In, Out>,
    options: BatcherOptions = {},
  ) {
    this.maxInFlight = options.maxInFlight ?? 1;
    this.maxBatch = options.maxBatch ?? 200;
  }

  run(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.flush();
      else this.schedule();
    });
  }

  /** Items waiting for a batch. */
  get waiting(): number {
    return this.queue.length;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.execute(batch).finally(() => {
        this.inFlight--;
        this.flush();
      });
    }
  }

  private async execute(batch: Pending<In, Out>[]): Promise<void> {
    try {
      const results = await this.runner(batch.map((p) => p.item));
      for (const [i, p] of batch.entries()) p.resolve(results[i] as Out);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      await Promise.all(batch.map((p) => this.execute([p])));
    }
  }
}
