import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "@upfleet/logger";
import { MAX_CHECKS_PER_ENTRY } from "./check-stream.ts";
import { EntryResults } from "./entry-results.ts";
import type { ResultJob } from "./jobs.ts";
import type { CheckLane } from "./lanes.ts";
import { CHECKS_GROUP, checksStreamKey } from "./names.ts";
import { duplicateRedis, type RedisConnection } from "./redis-connection.ts";
import {
  claimableAt,
  claimIdle,
  createGroup,
  fieldPairs,
  isNoGroup,
  readGroup,
  type StreamEntry,
} from "./stream-group.ts";

/** How a check reached this worker: `stalls` times taken back from a worker that died, each after up to `recoveryMs`. */
export interface CheckDelivery {
  stalls: number;
  recoveryMs: number;
}

/** How the consumer paces itself (tests shorten these). */
export interface CheckConsumerTimings {
  /** An idle read blocks this long: the only command an idle worker sends on its stream, besides reclaims. */
  blockMs: number;
  /**
   * How often entries a dead worker held are looked for while any entry is pending. With none pending,
   * none can be claimable before the reclaim idle time has passed, so the next look waits that long.
   */
  reclaimEveryMs: number;
}

const TIMINGS: CheckConsumerTimings = { blockMs: 30_000, reclaimEveryMs: 5_000 };
/** Added to twice the longest timeout seen: a live worker's result is published well within it. */
const RECLAIM_MARGIN_MS = 5_000;
/** The longest check timeout there can be (the check schema's maximum), until a worker has seen one. */
const LONGEST_TIMEOUT_MS = 300_000;
/** How long a stop waits for the read loop's turn to end (a blocked read ends at once on disconnect). */
const LOOP_GRACE_MS = 500;

/**
 * How long an entry must have been held without acknowledgment before another worker takes it. An
 * entry holds at most its reader's concurrency of checks beyond those running (the dispatcher sizes
 * entries to the smallest concurrency in the region), so each of its checks starts within one
 * timeout of the read and ends within another; past that, and a margin, its worker is gone.
 */
export function reclaimIdleMs(longestTimeoutMs: number): number {
  return 2 * longestTimeoutMs + RECLAIM_MARGIN_MS;
}

export interface CheckConsumerOptions {
  redis: RedisConnection;
  redisPrefix: string;
  region: string;
  /** This process's name in the region's group: unique per worker process. */
  consumer: string;
  /** Checks run at once at most. */
  concurrency: number;
  /** The region's streams it reads (lanes.ts): the general one, and the ping checks' when it can send ICMP. */
  lanes: readonly CheckLane[];
  /**
   * Runs one check as written in the stream (not parsed: the worker answers what it cannot run).
   * Resolves with its result to publish to the region's results stream, or null for none (skipped as
   * stale, not a check); a rejection leaves its entry pending, to be taken again.
   */
  run(check: unknown, delivery: CheckDelivery): Promise<ResultJob | null>;
  logger: Logger;
  timings?: Partial<CheckConsumerTimings>;
}

/**
 * A worker's side of its region's checks streams (docs/adr/0014): one blocking XREADGROUP at a time
 * over the lanes it reads, for as many entries as free slots allow, shared among the lanes (the
 * dispatcher sizes an entry to a reader's concurrency over its lanes, RegionGate); each entry's checks
 * run (at most `concurrency` at once), their results are published to the region's results stream, and
 * once every one of them is there the entry is XACKed and XDELed (EntryResults). Entries a dead
 * worker held are claimed (XAUTOCLAIM) after reclaimIdleMs and run again; ingest stores a round once.
 * A flushed Redis (NOGROUP) gets the group back on the next read.
 */
export class CheckStreamConsumer {
  /** The blocking read has a connection of its own, so it holds up no other command. */
  private readonly reader: RedisConnection;
  private readonly keys: string[];
  private readonly timings: CheckConsumerTimings;
  private running = false;
  private loop: Promise<void> | undefined;
  private reclaimer: NodeJS.Timeout | undefined;
  /** When the next reclaim pass is due. */
  private reclaimAt = 0;
  private readonly stopped = new AbortController();
  private grouped = false;
  /** Checks running, and those read but waiting for a slot. */
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** Wakes the read loop when a slot frees up. */
  private wake: (() => void) | undefined;
  /** Entries being run here, so a reclaim pass does not take them from ourselves: `<key> <id>`, as two streams can hold the same id. */
  private readonly inHand = new Set<string>();
  private readonly entries = new Set<Promise<void>>();
  private longestTimeoutMs: number | null = null;
  /** A pass still waiting on a slow Redis: the next one is skipped rather than piled up. */
  private reclaiming = false;
  private readonly results: EntryResults;

  constructor(private readonly options: CheckConsumerOptions) {
    this.timings = { ...TIMINGS, ...options.timings };
    this.keys = options.lanes.map((lane) => checksStreamKey(options.redisPrefix, options.region, lane));
    this.reader = duplicateRedis(options.redis, { maxRetriesPerRequest: null });
    // Outages are logged by the process's main connection; reads fail and are retried below.
    this.reader.on("error", () => undefined);
    // On the connection that waits out a Redis outage: a result written late is still stored, one
    // given up is a lost check.
    this.results = new EntryResults(options.redis, options.redisPrefix, options.region, options.logger);
  }

  /** Checks running or read and waiting for a slot. */
  get inFlight(): number {
    return this.active + this.waiting.length;
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
    this.reclaimIn(this.timings.reclaimEveryMs);
  }

  /** Stops reading and waits for the checks read to finish and their entries to be acknowledged. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.reclaimer);
    this.stopped.abort();
    // Ends a blocked read at once; entries it was being handed, if any, stay pending for a reclaim.
    this.reader.disconnect();
    this.wake?.();
    await Promise.race([this.loop, sleep(LOOP_GRACE_MS)]);
    while (this.entries.size > 0) await Promise.all(this.entries);
    await this.results.close();
  }

  private get free(): number {
    return this.options.concurrency - this.inFlight;
  }

  /** Entries to take from each stream in one read or claim: the free slots' worth, shared among the streams. */
  private get perStream(): number {
    return Math.max(1, Math.floor(this.free / (MAX_CHECKS_PER_ENTRY * this.keys.length)));
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        if (this.free <= 0) {
          await new Promise<void>((resolve) => {
            this.wake = resolve;
          });
          continue;
        }
        if (!this.grouped) {
          for (const key of this.keys) await createGroup(this.options.redis, key, CHECKS_GROUP);
          this.grouped = true;
        }
        const reads = await readGroup(this.reader, {
          group: CHECKS_GROUP,
          consumer: this.options.consumer,
          keys: this.keys,
          count: this.perStream,
          blockMs: this.timings.blockMs,
        });
        for (const { key, entries } of reads)
          for (const entry of entries) this.settle(key, entry, { stalls: 0, recoveryMs: 0 });
        failures = 0;
      } catch (error) {
        if (!this.running) break;
        failures++;
        // The stream or its group is gone (a flush): made again at once; anything else waits, growing to 5 s.
        if (isNoGroup(error)) this.grouped = false;
        if (isNoGroup(error) && failures < 3) continue;
        this.options.logger.warn({ err: error }, "checks stream unreadable; trying again");
        await sleep(Math.min(5_000, 250 * 2 ** failures), undefined, { signal: this.stopped.signal }).catch(
          () => undefined,
        );
      }
    }
  }

  /** Sets the next reclaim pass `ms` from now, unless one is due sooner. */
  private reclaimIn(ms: number, now = Date.now()): void {
    if (!this.running || (this.reclaimer && this.reclaimAt <= now + ms)) return;
    clearTimeout(this.reclaimer);
    this.reclaimAt = now + ms;
    this.reclaimer = setTimeout(() => {
      this.reclaimer = undefined;
      void this.reclaim();
    }, ms);
  }

  /**
   * Takes over entries held past reclaimIdleMs by a worker that never acknowledged them (it died).
   * No entry is claimable before its time of adding plus reclaimIdleMs, so the next look is then for
   * the oldest pending one, and reclaimIdleMs away with none pending (an entry read from now on cannot
   * be claimable sooner): a worker whose every look falls on a second's burst no longer looks (and
   * claims nothing) every reclaimEveryMs (issue #15). Learning a shorter timeout from an entry read
   * brings the next look back within reclaimEveryMs.
   */
  private async reclaim(): Promise<void> {
    if (!this.running || this.reclaiming || this.free <= 0 || !this.grouped) {
      this.reclaimIn(this.timings.reclaimEveryMs);
      return;
    }
    const minIdleMs = reclaimIdleMs(this.longestTimeoutMs ?? LONGEST_TIMEOUT_MS);
    const lookedAt = Date.now();
    this.reclaiming = true;
    let next = this.timings.reclaimEveryMs;
    try {
      const claimable = await claimableAt(this.options.redis, this.keys, CHECKS_GROUP, minIdleMs);
      const due = this.keys.filter((_, i) => (claimable[i] ?? Number.POSITIVE_INFINITY) <= lookedAt);
      if (due.length === 0) {
        next = Math.min(minIdleMs, ...claimable.map((at) => (at ?? Number.POSITIVE_INFINITY) - lookedAt));
        return;
      }
      for (const key of due) await this.reclaimFrom(key, minIdleMs);
    } catch (error) {
      if (isNoGroup(error)) this.grouped = false;
      this.options.logger.warn({ err: error }, "could not look for checks of workers gone");
    } finally {
      this.reclaiming = false;
      this.reclaimIn(Math.max(0, lookedAt + next - Date.now()));
    }
  }

  private async reclaimFrom(key: string, minIdleMs: number): Promise<void> {
    const claimed = (
      await claimIdle(this.options.redis, {
        key,
        group: CHECKS_GROUP,
        consumer: this.options.consumer,
        minIdleMs,
        count: this.perStream,
      })
    ).filter(({ id }) => !this.inHand.has(`${key} ${id}`));
    if (claimed.length === 0) return;
    const deliveries = await this.deliveries(key, claimed);
    this.options.logger.info({ entries: claimed.length, minIdleMs, key }, "checks taken back from a worker gone");
    const recoveryMs = minIdleMs + this.timings.reclaimEveryMs + RECLAIM_MARGIN_MS;
    for (const entry of claimed) {
      // The claim counted as a delivery: the ones before it were workers that died holding it.
      this.settle(key, entry, { stalls: Math.max(1, (deliveries.get(entry.id) ?? 2) - 1), recoveryMs });
    }
  }

  /** How often each claimed entry has been delivered (XPENDING over their range, held by us now). */
  private async deliveries(key: string, claimed: StreamEntry[]): Promise<Map<string, number>> {
    const pending = (await this.options.redis.xpending(
      key,
      CHECKS_GROUP,
      claimed[0]!.id,
      claimed.at(-1)!.id,
      claimed.length,
      this.options.consumer,
    )) as [id: string, consumer: string, idle: number, deliveries: number][];
    return new Map(pending.map(([id, , , count]) => [id, Number(count)]));
  }

  /** Runs the entry's checks and publishes their results, then acknowledges it (or leaves it pending). */
  private settle(key: string, entry: StreamEntry, delivery: CheckDelivery): void {
    this.inHand.add(`${key} ${entry.id}`);
    const checks = fieldPairs(entry.fields).map(([, json]) => parseJson(json));
    const longest = this.longestTimeoutMs;
    for (const check of checks) this.noteTimeout(check);
    if (this.longestTimeoutMs !== longest) this.reclaimIn(this.timings.reclaimEveryMs);
    const runs = checks.map((check) => this.runInSlot(check, delivery));
    const done: Promise<void> = this.results.settle(key, entry.id, runs).finally(() => {
      this.inHand.delete(`${key} ${entry.id}`);
      this.entries.delete(done);
    });
    this.entries.add(done);
  }

  private async runInSlot(check: unknown, delivery: CheckDelivery): Promise<ResultJob | null> {
    if (this.active >= this.options.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await this.options.run(check, delivery);
    } finally {
      // The slot passes to a check waiting for one, or frees up for the next read.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
      this.wake?.();
      this.wake = undefined;
    }
  }

  private noteTimeout(check: unknown): void {
    const timeoutMs = (check as { spec?: { timeoutMs?: unknown } } | null)?.spec?.timeoutMs;
    if (typeof timeoutMs === "number") this.longestTimeoutMs = Math.max(this.longestTimeoutMs ?? 0, timeoutMs);
  }
}

/** A check's JSON, or null when it is not JSON (the worker answers it as a check it cannot run). */
function parseJson(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return null;
  }
}
