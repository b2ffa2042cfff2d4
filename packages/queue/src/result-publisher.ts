import { Batcher } from "@upfleet/runtime";
import type { ChainableCommander } from "ioredis";
import { type ResultJob, roundId } from "./jobs.ts";
import { resultsStreamKey } from "./names.ts";
import type { RedisConnection } from "./redis-connection.ts";

/** Results gathered into one stream entry: at most this many, or what arrives within FLUSH_WAIT_MS. */
const MAX_BATCH = 100;
const FLUSH_WAIT_MS = 20;
/**
 * The stream's length cap, in entries (each a batch of results): with every alerter gone for long
 * the stream must not fill Redis (and, under `noeviction`, stop the control plane with it). At 10,000
 * monitors an entry holds ~10 results, so this is hours of results; alerters delete what they stored.
 */
const RESULTS_STREAM_MAX_ENTRIES = 200_000;

/**
 * Given a batch of results just before it is written, what must be written in the same transaction
 * (the checks entries it completes, acknowledged with their last results), or undefined for nothing.
 */
export type WrittenAlongside = (
  results: readonly ResultJob[],
) => ((transaction: ChainableCommander) => void) | undefined;

/**
 * A worker's side of its region's results stream: results are gathered for a few milliseconds and
 * written as ONE stream entry (one XADD per batch: fields are the rounds' ids, values their results as
 * JSON). `publish` resolves once the entry is in Redis, so the checks entry it answers is acknowledged
 * only then, or in the same transaction (`alongside`): a worker killed before that leaves the entry
 * pending for another worker to claim, and no check is lost.
 */
export class ResultPublisher {
  private readonly batcher: Batcher<ResultJob>;
  private readonly key: string;

  constructor(
    private readonly redis: RedisConnection,
    redisPrefix: string,
    region: string,
    private readonly alongside?: WrittenAlongside,
  ) {
    this.key = resultsStreamKey(redisPrefix, region);
    this.batcher = new Batcher((results: ResultJob[]) => this.write(results), {
      maxBatch: MAX_BATCH,
      maxWaitMs: FLUSH_WAIT_MS,
      // Entries are independent: a slow XADD must not hold back the next batch's checks.
      maxInFlight: 4,
    });
  }

  /** Resolves once the result is in the stream; rejects if Redis refused or could not be reached. */
  publish(result: ResultJob): Promise<void> {
    return this.batcher.add(result);
  }

  /** Writes what is waiting and resolves once every batch given has been written (or failed). */
  close(): Promise<void> {
    return this.batcher.close();
  }

  private async write(results: ResultJob[]): Promise<void> {
    const fields = results.flatMap((result) => [roundId(result), JSON.stringify(result)]);
    const args = [this.key, "MAXLEN", "~", RESULTS_STREAM_MAX_ENTRIES, "*", ...fields] as const;
    const alongside = this.alongside?.(results);
    if (!alongside) {
      await this.redis.xadd(...args);
      return;
    }
    // A command Redis refuses (out of memory, say) aborts the whole transaction: nothing is acknowledged
    // without its results in the stream.
    const transaction = this.redis.multi().xadd(...args);
    alongside(transaction);
    const [added] = (await transaction.exec()) ?? [];
    if (added?.[0]) throw added[0];
  }
}
