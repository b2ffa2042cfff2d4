import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import type { CheckSpec } from "@upfleet/checks/contracts";
import type { StreamAdd } from "./check-stream.ts";
import { duplicateRedis, type RedisConnection } from "./redis-connection.ts";

/** How long `waitForChange` waits for its connection, and then idles when Redis cannot be reached. */
const UNREACHABLE_WAIT_MS = 1_000;

/** What the dispatcher needs to enqueue a monitor's checks without touching the database. */
export interface ScheduleEntry {
  monitorId: string;
  organizationId: string;
  intervalMs: number;
  regions: string[];
  /** The check to run, carried to the workers in each job. */
  spec: CheckSpec;
  /** The monitor's updated_at: the reconciler compares it to decide whether Redis is stale. */
  version: string;
}

export interface DueEntry {
  entry: ScheduleEntry;
  dueMs: number;
}

/**
 * Returns the time of the first member due after ARGV[1] ('' when none), then up to ARGV[2] members
 * due at or before it, with their entries. Members whose entry is missing are dropped (a
 * half-deleted monitor must not be dispatched forever).
 */
const PEEK_DUE = `
local due = redis.call('ZRANGE', KEYS[1], '-inf', ARGV[1], 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[2]), 'WITHSCORES')
local after = redis.call('ZRANGE', KEYS[1], '(' .. ARGV[1], '+inf', 'BYSCORE', 'LIMIT', 0, 1, 'WITHSCORES')
local out = { after[2] or '' }
for i = 1, #due, 2 do
  local spec = redis.call('HGET', KEYS[2], due[i])
  if spec then
    table.insert(out, due[i]); table.insert(out, due[i + 1]); table.insert(out, spec)
  else
    redis.call('ZREM', KEYS[1], due[i])
  end
end
return out
`;

/**
 * Runs the XADDs given first (ARGV[1] of them, each its argument count then its arguments, KEYS[2…]
 * their streams), then moves members to their next tick, but only those still at the tick we
 * dispatched: if the API rescheduled a monitor meanwhile (new interval, resume), its new time wins. An
 * XADD that Redis refuses ends the script before anything moves, so a check is never advanced past
 * unsent (at-least-once).
 */
const ADVANCE = `
local at = 2
for a = 1, tonumber(ARGV[1]) do
  local n = tonumber(ARGV[at])
  redis.call('XADD', KEYS[1 + a], unpack(ARGV, at + 1, at + n))
  at = at + n + 1
end
local moved = 0
for i = at, #ARGV, 3 do
  local current = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if current and tonumber(current) == tonumber(ARGV[i + 1]) then
    redis.call('ZADD', KEYS[1], ARGV[i + 2], ARGV[i])
    moved = moved + 1
  end
end
return moved
`;

/**
 * Every monitor's version, and the two ways the versions and the due times can disagree (a monitor
 * with a version but no due time, one due without a version): what the reconciler compares, without
 * the specs. The due set is listed only when its size says some due member has no version.
 */
const SNAPSHOT = `
local versions = redis.call('HGETALL', KEYS[2])
local unscheduled = {}
for i = 1, #versions, 2 do
  if not redis.call('ZSCORE', KEYS[1], versions[i]) then table.insert(unscheduled, versions[i]) end
end
local unversioned = {}
if redis.call('ZCARD', KEYS[1]) ~= #versions / 2 - #unscheduled then
  for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
    if redis.call('HEXISTS', KEYS[2], id) == 0 then table.insert(unversioned, id) end
  end
end
return {versions, unscheduled, unversioned}
`;

type ScheduleCommands = {
  upfleetPeekDue(due: string, specs: string, now: number, limit: number): Promise<string[]>;
  upfleetAdvance(keys: number, ...args: (string | number)[]): Promise<number>;
  upfleetScheduleSnapshot(due: string, versions: string): Promise<[string[], string[], string[]]>;
};

/** What the reconciler compares with PostgreSQL, and how many bytes reading it took. */
export interface ScheduleSnapshot {
  /** Monitor → version of its stored entry. */
  versions: Map<string, string>;
  /** Monitors with an entry but no due time: they need one. */
  unscheduled: Set<string>;
  /** Monitors with a due time but no version (a store written before versions had a hash of their own). */
  unversioned: Set<string>;
  bytesRead: number;
}

/**
 * The schedule in Redis: a sorted set of monitor → next due time, a hash of monitor → entry, and a hash
 * of monitor → entry version, so the reconciler's minutely comparison reads ~50 bytes a monitor instead
 * of its whole spec. Rebuildable: the reconciler rewrites it from PostgreSQL, the source of truth.
 * Every upsert also pushes to a one-element wake-up list, which an idle dispatcher blocks on
 * (`waitForChange`) instead of polling: a list, not pub/sub, because the API's and the alerter's Redis
 * users may reach the schedule's keys but no channel (acl.ts).
 */
export class ScheduleStore {
  readonly dueKey: string;
  readonly entriesKey: string;
  readonly versionsKey: string;
  private readonly wakeKey: string;
  /** The connection a `waitForChange` blocks (BLPOP holds its connection until it answers). */
  private waiter: RedisConnection | undefined;

  constructor(
    private readonly redis: RedisConnection,
    prefix: string,
  ) {
    this.dueKey = `${prefix}:sched:due`;
    this.entriesKey = `${prefix}:sched:entries`;
    this.versionsKey = `${prefix}:sched:versions`;
    this.wakeKey = `${prefix}:sched:wake`;
    redis.defineCommand("upfleetPeekDue", { numberOfKeys: 2, lua: PEEK_DUE });
    // Its number of keys varies: one, plus a stream per XADD.
    redis.defineCommand("upfleetAdvance", { lua: ADVANCE });
    redis.defineCommand("upfleetScheduleSnapshot", { numberOfKeys: 2, lua: SNAPSHOT });
  }

  private get commands(): ScheduleCommands {
    return this.redis as unknown as ScheduleCommands;
  }

  /**
   * Stores entries; `nextDueMs` (re)sets when each is due. Without it an already scheduled monitor
   * keeps its time (a changed target takes effect at the next tick, no extra check).
   */
  async upsert(items: { entry: ScheduleEntry; nextDueMs: number; reschedule: boolean }[]): Promise<void> {
    if (items.length === 0) return;
    const multi = this.redis.multi();
    for (const { entry, nextDueMs, reschedule } of items) {
      multi.hset(this.entriesKey, entry.monitorId, JSON.stringify(entry));
      multi.hset(this.versionsKey, entry.monitorId, entry.version);
      if (reschedule) multi.zadd(this.dueKey, nextDueMs, entry.monitorId);
      else multi.zadd(this.dueKey, "NX", nextDueMs, entry.monitorId);
    }
    await multi.lpush(this.wakeKey, "1").ltrim(this.wakeKey, 0, 0).exec();
  }

  /**
   * Waits until an upsert announces a change (true) or `timeoutMs` passes (false). A change made while
   * nobody waited is kept for the next wait, which then returns at once. While Redis cannot be reached
   * it idles up to a second and returns false: nothing is queued to be replayed later.
   */
  async waitForChange(timeoutMs: number): Promise<boolean> {
    this.waiter ??= this.openWaiter();
    const waiter = this.waiter;
    try {
      if (waiter.status !== "ready") {
        await once(waiter, "ready", { signal: AbortSignal.timeout(Math.min(timeoutMs, UNREACHABLE_WAIT_MS)) });
      }
      return (await waiter.blpop(this.wakeKey, Math.max(0.01, timeoutMs / 1000))) !== null;
    } catch {
      // Not after stopWaiting: the caller is stopping.
      if (this.waiter === waiter) await sleep(Math.min(timeoutMs, UNREACHABLE_WAIT_MS));
      return false;
    }
  }

  /** Ends a `waitForChange` under way (it returns false) and closes its connection. */
  stopWaiting(): void {
    this.waiter?.disconnect();
    this.waiter = undefined;
  }

  private openWaiter(): RedisConnection {
    const waiter = duplicateRedis(this.redis, {
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
    });
    // A failed wait idles and returns; the process's main connection already logs outages.
    waiter.on("error", () => undefined);
    return waiter;
  }

  async remove(monitorIds: string[]): Promise<void> {
    if (monitorIds.length === 0) return;
    await this.redis
      .multi()
      .zrem(this.dueKey, ...monitorIds)
      .hdel(this.entriesKey, ...monitorIds)
      .hdel(this.versionsKey, ...monitorIds)
      .exec();
  }

  async peekDue(nowMs: number, limit: number): Promise<DueEntry[]> {
    return (await this.takeDue(nowMs, limit)).due;
  }

  /** What is due at `nowMs` (up to `limit`), and when the next monitor falls due after it (null: none). */
  async takeDue(nowMs: number, limit: number): Promise<{ due: DueEntry[]; nextDueMs: number | null }> {
    const [after, ...flat] = await this.commands.upfleetPeekDue(this.dueKey, this.entriesKey, nowMs, limit);
    const due: DueEntry[] = [];
    for (let i = 0; i < flat.length; i += 3) {
      due.push({ dueMs: Number(flat[i + 1]), entry: JSON.parse(flat[i + 2]!) as ScheduleEntry });
    }
    return { due, nextDueMs: after ? Number(after) : null };
  }

  /**
   * Moves members to their next tick (those still at `fromMs`), after `adds` (the checks' XADDs,
   * CheckStream.entries) in the same script: one round trip for a dispatch pass's checks and its
   * schedule, instead of one for each (issue #15).
   */
  async advance(moves: { monitorId: string; fromMs: number; toMs: number }[], adds: StreamAdd[] = []): Promise<number> {
    if (moves.length + adds.length === 0) return 0;
    return this.commands.upfleetAdvance(
      1 + adds.length,
      this.dueKey,
      ...adds.map((add) => add.key),
      adds.length,
      ...adds.flatMap((add) => [add.args.length, ...add.args]),
      ...moves.flatMap((m) => [m.monitorId, m.fromMs, m.toMs]),
    );
  }

  async snapshot(): Promise<ScheduleSnapshot> {
    const [flat, unscheduled, unversioned] = await this.commands.upfleetScheduleSnapshot(this.dueKey, this.versionsKey);
    const versions = new Map<string, string>();
    for (let i = 0; i < flat.length; i += 2) versions.set(flat[i]!, flat[i + 1]!);
    const bytesRead = [...flat, ...unscheduled, ...unversioned].reduce((n, s) => n + Buffer.byteLength(s), 0);
    return { versions, unscheduled: new Set(unscheduled), unversioned: new Set(unversioned), bytesRead };
  }

  async nextDue(monitorId: string): Promise<number | null> {
    const score = await this.redis.zscore(this.dueKey, monitorId);
    return score === null ? null : Number(score);
  }
}
