import type { Logger } from "@upfleet/logger";
import { Batcher } from "@upfleet/runtime";
import type { ChainableCommander } from "ioredis";
import type { ResultJob } from "./jobs.ts";
import { CHECKS_GROUP } from "./names.ts";
import type { RedisConnection } from "./redis-connection.ts";
import { ResultPublisher } from "./result-publisher.ts";
import { deleteAndAck } from "./stream-group.ts";

/** A checks entry whose results are being published. */
interface HeldEntry {
  key: string;
  id: string;
  /** Its checks still running. */
  running: number;
  /** Its results given to the publisher and not yet written. */
  unwritten: number;
  /** A check of it failed, or a result of it was not written: it stays pending. */
  failed: boolean;
  /** Its acknowledgment went with its last results. */
  acknowledged: boolean;
}

/**
 * A worker's results, published as its checks finish, and the acknowledgment (XACK + XDEL) of the
 * checks entries they answer once every result of an entry is in the results stream. An entry is
 * acknowledged in the transaction that writes its last results when its other results are written
 * already or in the same batch, so a second's burst costs no round trip of its own to acknowledge
 * (issue #15); otherwise (a result of it still being written in a batch that may yet fail, or a last
 * check with nothing to publish) alone, once they are all written.
 */
export class EntryResults {
  /** Results being published, by the entry they answer, until written. */
  private readonly publishing = new Map<ResultJob, HeldEntry>();
  private readonly results: ResultPublisher;
  /** Acknowledgments that could not go with results, of one turn of the event loop, go as one transaction. */
  private readonly acks = new Batcher<HeldEntry>((entries) => this.acknowledge(entries), { maxBatch: 1_000 });

  constructor(
    private readonly redis: RedisConnection,
    redisPrefix: string,
    region: string,
    private readonly logger: Logger,
  ) {
    this.results = new ResultPublisher(redis, redisPrefix, region, (batch) => this.completedBy(batch));
  }

  /**
   * Publishes the results of an entry's checks as each resolves (null: nothing to publish), then
   * acknowledges the entry. A check that failed or a result not written leaves it pending, to be
   * taken again by a reclaim; never rejects.
   */
  async settle(key: string, id: string, checks: Promise<ResultJob | null>[]): Promise<void> {
    const held: HeldEntry = { key, id, running: checks.length, unwritten: 0, failed: false, acknowledged: false };
    const outcomes = await Promise.allSettled(checks.map((check) => this.publish(held, check)));
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
    if (failed) {
      this.logger.warn({ err: failed.reason, entry: id }, "a check's result was not published");
      return;
    }
    if (held.acknowledged) return;
    // Still pending if this fails: taken again by a reclaim, its rounds stored once (ingest is idempotent).
    await this.acks
      .add(held)
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, "checks done but not acknowledged; they will run again"),
      );
  }

  /** Writes what is waiting; resolves once every result and acknowledgment given has been written (or failed). */
  async close(): Promise<void> {
    await this.results.close();
    await this.acks.close();
  }

  private async publish(held: HeldEntry, check: Promise<ResultJob | null>): Promise<void> {
    let result: ResultJob | null;
    try {
      result = await check;
    } catch (error) {
      held.failed = true;
      throw error;
    } finally {
      held.running--;
    }
    if (!result) return;
    held.unwritten++;
    this.publishing.set(result, held);
    try {
      await this.results.publish(result);
    } catch (error) {
      held.failed = true;
      throw error;
    } finally {
      this.publishing.delete(result);
      held.unwritten--;
    }
  }

  /**
   * The acknowledgment of the entries a batch of results completes, to write in its transaction: every
   * check of theirs has finished, none failed, and every result of theirs not yet written is in it.
   */
  private completedBy(batch: readonly ResultJob[]): ((transaction: ChainableCommander) => void) | undefined {
    const inBatch = new Map<HeldEntry, number>();
    for (const result of batch) {
      const held = this.publishing.get(result);
      if (held) inBatch.set(held, (inBatch.get(held) ?? 0) + 1);
    }
    const completed = [...inBatch]
      .filter(([held, count]) => held.running === 0 && !held.failed && held.unwritten === count)
      .map(([held]) => held);
    if (completed.length === 0) return undefined;
    // Should the transaction fail, so do the results' publications: the entries stay pending.
    for (const held of completed) held.acknowledged = true;
    return (transaction) => deleteAndAck(transaction, CHECKS_GROUP, completed);
  }

  private async acknowledge(entries: HeldEntry[]): Promise<void> {
    const transaction = this.redis.multi();
    deleteAndAck(transaction, CHECKS_GROUP, entries);
    await transaction.exec();
  }
}
