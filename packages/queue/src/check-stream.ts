import { type CheckJob, roundId } from "./jobs.ts";
import { byLane, type CheckLane } from "./lanes.ts";
import { CHECKS_GROUP, checksStreamKey } from "./names.ts";
import type { RedisConnection } from "./redis-connection.ts";
import { fieldPairs } from "./stream-group.ts";

/**
 * Checks in one stream entry at most. An entry is what a worker takes and acknowledges at once, so
 * this bounds how far past its concurrency one read can take a worker (and how much a redelivery repeats).
 */
export const MAX_CHECKS_PER_ENTRY = 50;
/**
 * The stream's length cap, in entries. The dispatcher stops adding to a region whose oldest waiting
 * check is stale (RegionGate), so this is only the net for a bug there: Redis must never fill up.
 */
const CHECKS_STREAM_MAX_ENTRIES = 100_000;

/** The round of the oldest check waiting in a region: what tells whether its stream still moves. */
export interface WaitingCheck {
  tick: number;
  intervalMs: number;
}

/** What waits in a region's checks stream. */
export interface CheckBacklog {
  /** Entries no worker has been handed yet. */
  waitingEntries: number;
  /** Checks in them: counted in the entries sampled, extrapolated past them. */
  waitingChecks: number;
  /** Entries handed to a worker and not yet acknowledged (running, or held by a worker that died). */
  pendingEntries: number;
  /** The oldest waiting entry: when it was added, and its first check's round. */
  oldest: (WaitingCheck & { addedAt: number }) | undefined;
}

/** One XADD: the stream's key and the command's arguments after it. */
export interface StreamAdd {
  key: string;
  args: (string | number)[];
}

type GroupInfo = { pending: number; lastDelivered: string };

/**
 * The dispatcher's side of the regions' checks streams (docs/adr/0014), and what readers of their
 * backlog (GET /regions, the RegionGate, metrics) see. Each entry holds many checks, as field pairs:
 * the round's id, then the check as JSON.
 */
export class CheckStream {
  constructor(
    private readonly redis: RedisConnection,
    private readonly redisPrefix: string,
  ) {}

  /**
   * The XADDs that put the checks in the region's streams, each to its lane's, `perEntry` (at most
   * MAX_CHECKS_PER_ENTRY) an entry: what the dispatcher runs with its schedule's advance, in one script.
   */
  entries(region: string, checks: readonly CheckJob[], perEntry = MAX_CHECKS_PER_ENTRY): StreamAdd[] {
    const size = Math.max(1, Math.min(perEntry, MAX_CHECKS_PER_ENTRY));
    const adds: StreamAdd[] = [];
    for (const [lane, laneChecks] of byLane(checks)) {
      const key = checksStreamKey(this.redisPrefix, region, lane);
      for (let i = 0; i < laneChecks.length; i += size) {
        const fields = laneChecks.slice(i, i + size).flatMap((check) => [roundId(check), JSON.stringify(check)]);
        adds.push({ key, args: ["MAXLEN", "~", CHECKS_STREAM_MAX_ENTRIES, "*", ...fields] });
      }
    }
    return adds;
  }

  /** Adds the checks to the region's streams (as `entries` says), in one round trip. */
  async add(region: string, checks: readonly CheckJob[], perEntry = MAX_CHECKS_PER_ENTRY): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const { key, args } of this.entries(region, checks, perEntry)) pipeline.xadd(key, ...args);
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
  }

  /**
   * The backlog of one of the region's streams, from XLEN and XINFO GROUPS (acknowledged entries are
   * deleted, so what is in the stream and not pending waits), then, if anything waits, the first
   * `sample` waiting entries.
   */
  async backlog(region: string, sample = 1, lane: CheckLane = "general"): Promise<CheckBacklog> {
    const key = checksStreamKey(this.redisPrefix, region, lane);
    const [[, length], [, groups]] = ((await this.redis.pipeline().xlen(key).xinfo("GROUPS", key).exec()) ?? []) as [
      [Error | null, number],
      [Error | null, unknown[][] | undefined],
    ];
    // No stream yet (XINFO errs), or no group yet: every entry waits.
    const group = workersGroup(groups ?? []);
    const waitingEntries = Math.max(0, Number(length ?? 0) - (group?.pending ?? 0));
    const backlog = { waitingEntries, waitingChecks: 0, pendingEntries: group?.pending ?? 0, oldest: undefined };
    if (waitingEntries === 0) return backlog;
    const after = group ? `(${group.lastDelivered}` : "-";
    const entries = await this.redis.xrange(key, after, "+", "COUNT", Math.max(1, sample));
    if (entries.length === 0) return backlog;
    const checks = entries.map(([, fields]) => fieldPairs(fields));
    const counted = checks.reduce((sum, pairs) => sum + pairs.length, 0);
    const [id] = entries[0]!;
    return {
      ...backlog,
      waitingChecks: Math.round((counted / entries.length) * Math.max(waitingEntries, entries.length)),
      oldest: { addedAt: Number(id.split("-")[0]), ...roundOf(checks[0]![0]?.[1]) },
    };
  }
}

/** The workers' group in an XINFO GROUPS reply (each group a flat list of names and values). */
function workersGroup(groups: unknown[][]): GroupInfo | undefined {
  for (const fields of groups) {
    const info = Object.fromEntries(fieldPairs(fields.map(String)));
    if (info.name === CHECKS_GROUP) return { pending: Number(info.pending), lastDelivered: info["last-delivered-id"]! };
  }
  return undefined;
}

/** The tick and interval of a check as written; a value that is not a check reads as due long ago, so it is stale. */
function roundOf(json: string | undefined): WaitingCheck {
  try {
    const { tick, intervalMs } = JSON.parse(json ?? "{}") as Partial<WaitingCheck>;
    if (typeof tick === "number" && typeof intervalMs === "number") return { tick, intervalMs };
  } catch {
    // Not JSON: treated as stale below.
  }
  return { tick: 0, intervalMs: 1 };
}
