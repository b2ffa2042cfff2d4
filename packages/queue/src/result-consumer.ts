import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "@upfleet/logger";
import type { ChainableCommander } from "ioredis";
import { ResultJob } from "./jobs.ts";
import { RESULTS_GROUP, resultsRegionsKey, resultsStreamKey } from "./names.ts";
import { duplicateRedis, type RedisConnection } from "./redis-connection.ts";
import {
  claimableAt,
  claimIdle,
  createGroup,
  deleteAndAck,
  fieldPairs,
  isNoGroup,
  readGroupAfter,
} from "./stream-group.ts";

/** One result as read from a region's stream: `id` is the round it was published under; null `result`: not a result. */
export interface StreamedResult {
  region: string;
  id: string;
  result: ResultJob | null;
}

/** Entries per read (each a worker's batch of results). */
const READ_COUNT = 200;

/** How the consumer paces itself (tests shorten these). */
export interface ConsumerTimings {
  /**
   * An idle read waits this long (but no later than the next reclaim pass); new regions are looked for
   * between reads, so this is also how late one is seen.
   */
  blockMs: number;
  regionsEveryMs: number;
  /** Entries another consumer was handed this long ago and never acknowledged are taken over (its process died). */
  reclaimIdleMs: number;
  /**
   * How often to look for such entries while any entry is pending. With none pending, none can be
   * claimable before reclaimIdleMs has passed, so the next look waits that long.
   */
  reclaimEveryMs: number;
  /**
   * Stored entries are acknowledged ahead of the next read, in its write; while a batch is being stored
   * a read waits at most this long, so its acknowledgment waits no longer (a second's burst brings the
   * next read sooner).
   */
  ackWithinMs: number;
  /** How often, and after how long idle, the consumers of alerters gone are removed from the group. */
  forgetEveryMs: number;
  forgottenAfterMs: number;
}

const TIMINGS: ConsumerTimings = {
  blockMs: 30_000,
  regionsEveryMs: 5_000,
  reclaimIdleMs: 30_000,
  reclaimEveryMs: 10_000,
  ackWithinMs: 2_000,
  forgetEveryMs: 10 * 60_000,
  forgottenAfterMs: 60 * 60_000,
};
/** Reads being stored at once: past that the consumer stops reading, so a slow database holds results in Redis. */
const MAX_BATCHES = 8;
/** How long a stop waits for the read loop's turn to end (a read ends at once). */
const LOOP_GRACE_MS = 500;
/** A batch whose store failed is tried again after 1 s, 2 s, 4 s… up to this, for as long as it takes. */
const MAX_RETRY_MS = 30_000;

export interface ResultConsumerOptions {
  redis: RedisConnection;
  redisPrefix: string;
  /** This process's name in the consumer group: unique per alerter process. */
  consumer: string;
  /** The regions whose streams to read besides those read already (asked every few seconds). */
  regions(): Promise<Iterable<string>>;
  /** Which of a batch's results may be stored (asked once per batch; the rest are acknowledged unstored). */
  admit(batch: StreamedResult[]): ResultJob[];
  /** Stores results; resolves once they are committed, then their entries are acknowledged and deleted. */
  store(results: ResultJob[]): Promise<void>;
  logger: Logger;
  timings?: Partial<ConsumerTimings>;
}

interface Entry {
  region: string;
  id: string;
  fields: string[];
}

/**
 * The alerters' side of the results streams (docs/adr/0012): one blocking XREADGROUP over every
 * region's stream, in batches; each batch is stored, then XDELed and XACKed ahead of the next read, on
 * its connection and in its write, so a second's burst costs no round trip of its own to acknowledge
 * (issue #15). At-least-once: a batch
 * whose store fails stays pending and is retried with backoff; entries a dead alerter was handed are
 * claimed (XAUTOCLAIM) by a live one; ingest is idempotent on (monitor, region, tick), so a second
 * delivery changes nothing. A flushed Redis (NOGROUP) gets its groups back on the next read.
 */
export class ResultStreamConsumer {
  /** Blocking reads have a connection of their own, so they hold up no other command. */
  private readonly reader: RedisConnection;
  private readonly regions = new Set<string>();
  /** Regions whose group this process has created (or found): cleared when Redis says one is gone. */
  private readonly grouped = new Set<string>();
  /** Entries being stored or acknowledged here (`<region> <id>`), so a reclaim pass does not take them from ourselves. */
  private readonly inHand = new Set<string>();
  private readonly batches = new Set<Promise<void>>();
  /** Entries stored, to acknowledge with the next read. */
  private stored: Entry[] = [];
  private regionsReadAt = 0;
  /** Whether the regions read are in `<prefix>:results-regions` as far as this process knows. */
  private recorded = false;
  /** When the next reclaim pass is due. */
  private reclaimAt = 0;
  private forgottenAt = Date.now();
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly stopped = new AbortController();
  private readonly timings: ConsumerTimings;
  constructor(private readonly options: ResultConsumerOptions) {
    this.timings = { ...TIMINGS, ...options.timings };
    this.reader = duplicateRedis(options.redis, { maxRetriesPerRequest: null });
    // Outages are logged by the process's main connection; reads fail and are retried below.
    this.reader.on("error", () => undefined);
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /**
   * Stops reading, waits for the batches in hand to be stored (a batch being retried is left pending)
   * and acknowledges what was stored.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.stopped.abort();
    // Ends a blocked read at once; its entries, if any came, are pending and will be read again.
    this.reader.disconnect();
    // A housekeeping command (regions, reclaim) on an unreachable Redis holds the loop until it fails,
    // seconds later, and holds no entry: the shutdown waits only a moment for it.
    await Promise.race([this.loop, sleep(LOOP_GRACE_MS)]);
    while (this.batches.size > 0) await Promise.all(this.batches);
    const stored = this.takeStored();
    if (stored.length === 0) return;
    const pipeline = this.options.redis.pipeline();
    this.acknowledge(pipeline, stored);
    // Left pending if this fails: read again by a reclaim pass, and stored once (ingest is idempotent).
    const failed = ((await pipeline.exec().catch((error: unknown) => [[error]])) ?? []).find(([error]) => error);
    if (failed)
      this.options.logger.warn({ err: failed[0] }, "results stored but not acknowledged; they will be read again");
  }

  /** Per region read: entries in its stream (stored ones are deleted) and those handed out but not acknowledged. */
  async depths(): Promise<{ region: string; entries: number; pending: number }[]> {
    const regions = [...this.regions];
    const pipeline = this.options.redis.pipeline();
    for (const region of regions) {
      const key = this.key(region);
      pipeline.xlen(key).xpending(key, RESULTS_GROUP);
    }
    const replies = (await pipeline.exec()) ?? [];
    return regions.map((region, i) => {
      const [, entries] = replies[2 * i] ?? [];
      const [, pending] = replies[2 * i + 1] ?? [];
      return { region, entries: Number(entries ?? 0), pending: Number((pending as unknown[] | null)?.[0] ?? 0) };
    });
  }

  private key(region: string): string {
    return resultsStreamKey(this.options.redisPrefix, region);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        await this.refreshRegions();
        await this.reclaim();
        if (this.batches.size >= MAX_BATCHES) await Promise.race(this.batches);
        else this.settle(await this.read());
        failures = 0;
      } catch (error) {
        if (!this.running) break;
        failures++;
        // The stream is gone, so most likely the whole of Redis (a flush): the record of regions too.
        if (isNoGroup(error)) {
          this.grouped.clear();
          this.recorded = false;
        }
        // A lost group is made again at once; anything else (Redis unreachable) waits, growing to 5 s.
        if (isNoGroup(error) && failures < 3) continue;
        this.options.logger.warn({ err: error }, "results streams unreadable; trying again");
        await sleep(Math.min(5_000, 250 * 2 ** failures), undefined, { signal: this.stopped.signal }).catch(
          () => undefined,
        );
      }
    }
  }

  /**
   * Adds the regions given (and, at start, those alerters recorded before); creates their groups
   * where missing. The record is read once and written when a region is new to it, so an idle
   * alerter only asks for the regions given.
   */
  private async refreshRegions(now = Date.now()): Promise<void> {
    if (now - this.regionsReadAt >= this.timings.regionsEveryMs || this.regions.size === 0) {
      const key = resultsRegionsKey(this.options.redisPrefix);
      const [given, recorded] = await Promise.all([
        this.options.regions(),
        this.recorded ? [] : this.options.redis.smembers(key),
      ]);
      const known = this.regions.size;
      for (const region of [...given, ...recorded]) this.regions.add(region);
      // Recorded so an alerter started later reads a region whose workers are gone but left results.
      if (!this.recorded || this.regions.size > known) await this.options.redis.sadd(key, ...this.regions);
      this.recorded = true;
      this.regionsReadAt = now;
    }
    for (const region of this.regions) {
      if (this.grouped.has(region)) continue;
      await createGroup(this.options.redis, this.key(region), RESULTS_GROUP);
      this.grouped.add(region);
    }
  }

  private async read(): Promise<Entry[]> {
    const regions = [...this.regions];
    if (regions.length === 0) {
      await sleep(this.timings.blockMs, undefined, { signal: this.stopped.signal }).catch(() => undefined);
      return [];
    }
    const keys = regions.map((region) => this.key(region));
    const stored = this.takeStored();
    const longest = this.batches.size > 0 ? this.timings.ackWithinMs : this.timings.blockMs;
    const { reads, beforeError } = await readGroupAfter(
      this.reader,
      {
        group: RESULTS_GROUP,
        consumer: this.options.consumer,
        keys,
        count: READ_COUNT,
        blockMs: Math.max(1, Math.min(longest, this.reclaimAt - Date.now())),
      },
      (pipeline) => this.acknowledge(pipeline, stored),
    );
    if (beforeError) {
      // Still pending: read again by a reclaim pass, and stored once (ingest is idempotent).
      this.options.logger.warn({ err: beforeError }, "results stored but not acknowledged; they will be read again");
    }
    return reads.flatMap(({ key, entries }) => {
      const region = regions[keys.indexOf(key)]!;
      return entries.map(({ id, fields }) => ({ region, id, fields }));
    });
  }

  /**
   * Takes over entries other consumers were handed long ago and never acknowledged. None is claimable
   * before its time of adding plus reclaimIdleMs, so the next look is then for the oldest pending one
   * (often a batch being stored here), and reclaimIdleMs away with none pending; only once one may be
   * claimable does it look every reclaimEveryMs (issue #15).
   */
  private async reclaim(now = Date.now()): Promise<void> {
    if (now < this.reclaimAt) return;
    const regions = [...this.regions];
    const claimable = await claimableAt(
      this.options.redis,
      regions.map((region) => this.key(region)),
      RESULTS_GROUP,
      this.timings.reclaimIdleMs,
    );
    const due = regions.filter((_, i) => (claimable[i] ?? Number.POSITIVE_INFINITY) <= now);
    this.reclaimAt =
      due.length > 0
        ? now + this.timings.reclaimEveryMs
        : Math.min(now + this.timings.reclaimIdleMs, ...claimable.map((at) => at ?? Number.POSITIVE_INFINITY));
    for (const region of due) {
      const claimed = await claimIdle(this.options.redis, {
        key: this.key(region),
        group: RESULTS_GROUP,
        consumer: this.options.consumer,
        minIdleMs: this.timings.reclaimIdleMs,
        count: READ_COUNT,
      });
      const entries = claimed
        .filter(({ id }) => !this.inHand.has(`${region} ${id}`))
        .map(({ id, fields }) => ({ region, id, fields }));
      if (entries.length > 0) this.options.logger.info({ region, entries: entries.length }, "results reclaimed");
      this.settle(entries);
    }
    if (now - this.forgottenAt >= this.timings.forgetEveryMs) {
      this.forgottenAt = now;
      for (const region of this.regions) await this.forgetGone(region);
    }
  }

  /**
   * Removes from the group the consumers of alerter processes long gone (each restart adds one) once
   * they hold nothing: idle that long, with no pending entry (a live alerter reads at least every 30 s).
   */
  private async forgetGone(region: string): Promise<void> {
    const { redis, consumer } = this.options;
    const consumers = (await redis.xinfo("CONSUMERS", this.key(region), RESULTS_GROUP)) as unknown[][];
    for (const fields of consumers) {
      const info = Object.fromEntries(fields.flatMap((v, i) => (i % 2 === 0 ? [[v, fields[i + 1]]] : [])));
      if (info.name === consumer || Number(info.pending) > 0 || Number(info.idle) < this.timings.forgottenAfterMs)
        continue;
      await redis.xgroup("DELCONSUMER", this.key(region), RESULTS_GROUP, String(info.name));
    }
  }

  /** Stores the entries (retrying until it holds), then acknowledges and deletes them. */
  private settle(entries: Entry[]): void {
    // After a stop they stay pending, for this alerter's next start or another's reclaim.
    if (entries.length === 0 || !this.running) return;
    for (const e of entries) this.inHand.add(`${e.region} ${e.id}`);
    const batch: Promise<void> = this.store(entries)
      .then((stored) => {
        if (stored) this.stored.push(...entries);
        // Left pending, for this alerter's next start or another's reclaim.
        else for (const e of entries) this.inHand.delete(`${e.region} ${e.id}`);
      })
      .catch((error: unknown) => {
        // Still pending: read again by a reclaim pass.
        this.options.logger.warn({ err: error }, "results not stored; they will be read again");
        for (const e of entries) this.inHand.delete(`${e.region} ${e.id}`);
      })
      .finally(() => this.batches.delete(batch));
    this.batches.add(batch);
  }

  /** True once stored; false when the consumer stopped before a retry held. */
  private async store(entries: Entry[]): Promise<boolean> {
    const results = this.options.admit(entries.flatMap(({ region, fields }) => parseEntry(region, fields)));
    if (results.length === 0) return true;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.options.store(results);
        return true;
      } catch (error) {
        if (!this.running) return false;
        const retryInMs = Math.min(MAX_RETRY_MS, 1_000 * 2 ** attempt);
        this.options.logger.warn({ err: error, results: results.length, retryInMs }, "results not stored; will retry");
        await sleep(retryInMs, undefined, { signal: this.stopped.signal }).catch(() => undefined);
      }
    }
  }

  /** The entries stored so far, now out of hand: their acknowledgment is being sent. */
  private takeStored(): Entry[] {
    const stored = this.stored;
    this.stored = [];
    for (const e of stored) this.inHand.delete(`${e.region} ${e.id}`);
    return stored;
  }

  private acknowledge(pipeline: ChainableCommander, entries: Entry[]): void {
    deleteAndAck(
      pipeline,
      RESULTS_GROUP,
      entries.map((e) => ({ key: this.key(e.region), id: e.id })),
    );
  }
}

/** A stream entry's field pairs: the round's id, then its result as JSON (anything else is a null result). */
function parseEntry(region: string, fields: string[]): StreamedResult[] {
  return fieldPairs(fields).map(([id, value]) => {
    let parsed: ResultJob | null = null;
    try {
      parsed = ResultJob.safeParse(JSON.parse(value)).data ?? null;
    } catch {
      // Not JSON: refused below with everything else that is not a result.
    }
    return { region, id, result: parsed };
  });
}
