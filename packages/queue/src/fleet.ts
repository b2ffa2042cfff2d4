import type { Redis } from "ioredis";

export interface WorkerInfo {
  id: string;
  region: string;
  hostname: string;
  version: string;
  concurrency: number;
  in_flight: number;
  started_at: string;
  last_seen_at: string;
}

/** A worker is alive while it has been seen within this window (it reports every 5 s). */
export const WORKER_TTL_MS = 20_000;

/**
 * Who is in the fleet: each worker writes its record with a TTL, and a sorted set (by last seen)
 * lets readers list them without scanning the keyspace.
 */
export class FleetRegistry {
  private readonly indexKey: string;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.indexKey = `${prefix}:fleet:workers`;
  }

  private recordKey(id: string): string {
    return `${this.prefix}:fleet:worker:${id}`;
  }

  async report(worker: WorkerInfo): Promise<void> {
    await this.redis
      .multi()
      .set(this.recordKey(worker.id), JSON.stringify(worker), "PX", WORKER_TTL_MS)
      .zadd(this.indexKey, Date.parse(worker.last_seen_at), worker.id)
      .exec();
  }

  async remove(id: string): Promise<void> {
    await this.redis.multi().del(this.recordKey(id)).zrem(this.indexKey, id).exec();
  }

  /** Live workers; records that expired are pruned from the index on the way. */
  async list(now = Date.now()): Promise<WorkerInfo[]> {
    await this.redis.zremrangebyscore(this.indexKey, "-inf", now - WORKER_TTL_MS);
    const ids = await this.redis.zrange(this.indexKey, 0, -1);
    if (ids.length === 0) return [];
    const records = await this.redis.mget(ids.map((id) => this.recordKey(id)));
    return records.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as WorkerInfo);
  }
}
