import type { Logger } from "@upfleet/logger";
import { Loop } from "@upfleet/runtime";
import type { JobInput, JobQueue } from "./catalog.ts";
import type { JobKind } from "./jobs.ts";

/**
 * Rows in PostgreSQL that should each have a job (docs/adr/0007): a notification pending, an
 * escalation running, an export unfinished. The job is queued after the row's commit; if that enqueue
 * is lost (a crash in between, a Redis flush), a sweep queues it again under its deterministic id.
 */
export interface Outbox<K extends JobKind> {
  queue: JobQueue<K>;
  /** The jobs the rows call for, a page at a time. */
  pending(): AsyncIterable<readonly JobInput<K>[]>;
  /**
   * For a kind whose job id outlives its job (one per export, not per attempt): a finished job would
   * absorb the re-add, so it is replaced, and a live one left alone.
   */
  replaceFinished?: boolean;
}

/** One sweep: queues every job the rows call for; returns how many it added (or offered, when ids absorb them). */
export async function sweepOutbox<K extends JobKind>(outbox: Outbox<K>): Promise<number> {
  let count = 0;
  for await (const page of outbox.pending()) {
    if (!outbox.replaceFinished) {
      count += await outbox.queue.addBulk(page);
      continue;
    }
    for (const job of page) if (await outbox.queue.replaceFinished(job)) count++;
  }
  return count;
}

export interface OutboxSweeperOptions<K extends JobKind> extends Outbox<K> {
  /** Names the rows in logs ("notification", "export"). */
  name: string;
  logger: Logger;
  /** A sweep runs at start, this often, and when woken. */
  everyMs: number;
  /** Where a sweep that queued jobs is logged: info when that means a job was lost, debug when routine. */
  level?: "info" | "debug";
}

/** The net under an outbox: sweeps at start, every `everyMs` and when woken, one sweep at a time. */
export class OutboxSweeper<K extends JobKind> extends Loop {
  constructor(options: OutboxSweeperOptions<K>) {
    const { name, logger, everyMs, level = "info" } = options;
    super(
      async () => {
        const count = await sweepOutbox(options);
        if (count > 0) logger[level]({ count }, `${name} jobs re-queued`);
      },
      { everyMs, onError: (error) => logger.warn({ err: error }, `${name} sweep failed; will retry`) },
    );
  }
}
