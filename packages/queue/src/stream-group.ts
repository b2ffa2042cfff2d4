import type { ChainableCommander } from "ioredis";
import type { RedisConnection } from "./redis-connection.ts";

/**
 * What the checks streams (workers' group) and the results streams (alerters' group) share: a
 * consumer group made when missing, the replies of reads and claims as entries, and acknowledging
 * with deletion in one transaction.
 */
export interface StreamEntry {
  id: string;
  fields: string[];
}

/** Redis's answer when a stream or its group is gone: a flush, or a first read before any group existed. */
export const isNoGroup = (error: unknown) => error instanceof Error && /NOGROUP|no longer exists/.test(error.message);

/**
 * Creates `group` on `key` (and the stream) unless it exists. From the stream's start: entries written
 * before the group existed (after a flush, before any reader came back) are read too.
 */
export async function createGroup(redis: RedisConnection, key: string, group: string): Promise<void> {
  await redis.xgroup("CREATE", key, group, "0", "MKSTREAM").catch((error: unknown) => {
    if (!(error instanceof Error && error.message.startsWith("BUSYGROUP"))) throw error;
  });
}

type StreamReply = [key: string, entries: [id: string, fields: string[]][]][] | null;

interface GroupRead {
  group: string;
  consumer: string;
  keys: readonly string[];
  count: number;
  blockMs: number;
}

export interface StreamRead {
  key: string;
  entries: StreamEntry[];
}

const readArgs = (read: GroupRead) =>
  [
    "GROUP",
    read.group,
    read.consumer,
    "COUNT",
    read.count,
    "BLOCK",
    read.blockMs,
    "STREAMS",
    ...read.keys,
    ...read.keys.map(() => ">"),
  ] as const;

const parseRead = (reply: unknown): StreamRead[] =>
  ((reply as StreamReply) ?? []).map(([key, entries]) => ({
    key,
    entries: entries.map(([id, fields]) => ({ id, fields })),
  }));

/** One XREADGROUP of new entries over `keys`; the entries come back per key. */
export async function readGroup(reader: RedisConnection, read: GroupRead): Promise<StreamRead[]> {
  return parseRead(await reader.xreadgroup(...readArgs(read)));
}

/**
 * readGroup with commands sent ahead of it in the same write (`before`: acknowledgments), so they cost
 * no round trip of their own. The first of their errors, if any, comes back beside the entries read:
 * an entry handed out by the read must not be dropped for it.
 */
export async function readGroupAfter(
  reader: RedisConnection,
  read: GroupRead,
  before: (pipeline: ChainableCommander) => void,
): Promise<{ reads: StreamRead[]; beforeError: Error | null }> {
  const pipeline = reader.pipeline();
  before(pipeline);
  const replies = (await pipeline.xreadgroup(...readArgs(read)).exec()) ?? [];
  const [readError, reply] = replies.at(-1) ?? [null, null];
  if (readError) throw readError;
  return { reads: parseRead(reply), beforeError: replies.find(([error]) => error)?.[0] ?? null };
}

/**
 * Per key, the earliest moment an entry pending now (handed out to `group`, not yet acknowledged)
 * could be claimable, from XPENDING's summary (one round trip): its oldest entry's time of adding plus
 * `minIdleMs`, as no entry is handed out before it was added; null with none pending.
 */
export async function claimableAt(
  redis: RedisConnection,
  keys: readonly string[],
  group: string,
  minIdleMs: number,
): Promise<(number | null)[]> {
  const pipeline = redis.pipeline();
  for (const key of keys) pipeline.xpending(key, group);
  return ((await pipeline.exec()) ?? []).map(([error, summary]) => {
    if (error) throw error;
    const [count, oldest] = (summary as [number, string | null] | null) ?? [0, null];
    return Number(count) > 0 && oldest ? Number(oldest.split("-")[0]) + minIdleMs : null;
  });
}

/**
 * Takes over entries of `key` handed out at least `minIdleMs` ago and never acknowledged (their consumer
 * died). Entries deleted meanwhile are dropped from the pending list by Redis and left out here.
 */
export async function claimIdle(
  redis: RedisConnection,
  claim: { key: string; group: string; consumer: string; minIdleMs: number; count: number },
): Promise<StreamEntry[]> {
  const [, claimed] = (await redis.xautoclaim(
    claim.key,
    claim.group,
    claim.consumer,
    claim.minIdleMs,
    "0-0",
    "COUNT",
    claim.count,
  )) as [string, [string, string[] | null][]];
  return claimed.flatMap(([id, fields]) => (fields === null ? [] : [{ id, fields }]));
}

/**
 * Adds to `commands` (a transaction or a pipeline) the XDEL, then the XACK, of each entry, one pair per
 * stream. Deleted first, no entry is acknowledged yet left in the stream (where nothing would delete
 * it), even outside a transaction; one deleted whose acknowledgment was lost stays pending until a
 * reclaim's XAUTOCLAIM drops it, having nothing to hand out.
 */
export function deleteAndAck(
  commands: ChainableCommander,
  group: string,
  entries: readonly { key: string; id: string }[],
): void {
  const byKey = new Map<string, string[]>();
  for (const { key, id } of entries) {
    const ids = byKey.get(key);
    if (ids) ids.push(id);
    else byKey.set(key, [id]);
  }
  for (const [key, ids] of byKey) commands.xdel(key, ...ids).xack(key, group, ...ids);
}

/** An entry's fields as (name, value) pairs: a round's id and its JSON, in both kinds of stream. */
export function fieldPairs(fields: readonly string[]): [name: string, value: string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) pairs.push([fields[i]!, fields[i + 1]!]);
  return pairs;
}
