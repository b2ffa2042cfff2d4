import type { CheckBacklog, CheckStream, WaitingCheck } from "./check-stream.ts";
import { CHECK_LANES } from "./lanes.ts";
import type { RedisConnection } from "./redis-connection.ts";
import { type LagPercentiles, regionLag } from "./schedule-lag.ts";
import { staleAt } from "./staleness.ts";

export interface WorkerInfo {
  id: string;
  region: string;
  hostname: string;
  version: string;
  concurrency: number;
  in_flight: number;
  started_at: string;
  last_seen_at: string;
  /** Its checks' start behind their ticks over the last minute (LagWindow); null when it ran none. */
  schedule_lag_ms: LagPercentiles | null;
  /** Checks it ran in the last minute (MinuteCounter). */
  checks_per_minute: number;
  /** Whether it takes ping checks (reads its region's ICMP stream, lanes.ts), and if not, why. */
  icmp: boolean;
  icmp_problem: string | null;
}

/** What an older worker's record, written before workers said whether they ping, reads as: it does not read the ICMP stream. */
const NO_ICMP_LANE = "this worker's version does not take ping checks";

/** A worker is alive while it has been seen within this window (it reports every 5 s). */
export const WORKER_TTL_MS = 20_000;

/**
 * Who is in the fleet: each worker writes its record with a TTL, and a sorted set (by last seen)
 * lets readers list them without scanning the keyspace.
 */
export class FleetRegistry {
  private readonly indexKey: string;

  constructor(
    private readonly redis: RedisConnection,
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

  /** Live workers; records that expired are pruned from the index on the way (in the same round trip). */
  async list(now = Date.now()): Promise<WorkerInfo[]> {
    const replies =
      (await this.redis
        .pipeline()
        .zremrangebyscore(this.indexKey, "-inf", now - WORKER_TTL_MS)
        .zrange(this.indexKey, 0, -1)
        .exec()) ?? [];
    for (const [error] of replies) if (error) throw error;
    const ids = (replies[1]?.[1] ?? []) as string[];
    if (ids.length === 0) return [];
    const records = await this.redis.mget(ids.map((id) => this.recordKey(id)));
    return records
      .filter((r): r is string => r !== null)
      .map((r) => {
        const worker = JSON.parse(r) as WorkerInfo;
        // A worker of a version before these fields reads as one that ran nothing in the last minute.
        return {
          ...worker,
          schedule_lag_ms: worker.schedule_lag_ms ?? null,
          checks_per_minute: worker.checks_per_minute ?? 0,
          icmp: worker.icmp ?? false,
          icmp_problem: worker.icmp === undefined ? NO_ICMP_LANE : worker.icmp_problem,
        };
      });
  }
}

export interface RegionInfo {
  name: string;
  workers: number;
  queue_depth: number;
  oldest_job_age_ms: number | null;
  checks_per_minute: number;
  /** The slowest worker's schedule lag over the last minute (regionLag); null when none ran a check. */
  schedule_lag_p50_ms: number | null;
  schedule_lag_p99_ms: number | null;
  /** Whether the scheduler sends the region checks (see `regionDispatching`). */
  dispatching: boolean;
  /** Live workers that take ping checks, and whether the scheduler sends the region ping checks. */
  icmp_workers: number;
  ping_dispatching: boolean;
}

/**
 * Whether to send a region checks: not while it has no live worker, nor while its oldest waiting check
 * is already stale. Either way its stream only collects checks that no worker will run, and at 10,000
 * monitors that is millions a day, enough to fill Redis and stop the whole control plane with it.
 */
export function regionDispatching(staffed: boolean, oldest: WaitingCheck | undefined, now = Date.now()): boolean {
  return staffed && (oldest === undefined || now < staleAt(oldest.tick, oldest.intervalMs));
}

/** Waiting checks sampled for GET /regions' queue depth (past them it is extrapolated). */
const DEPTH_SAMPLE = 20;

/**
 * Per region: live workers, checks waiting in its streams, how long the oldest entry has waited, checks
 * run in the last minute (its live workers' counts), and whether checks (and ping checks, which only
 * workers that can send ICMP take) are sent there. A growing depth or age says "add workers here".
 */
export async function regionOverview(
  regions: string[],
  workers: WorkerInfo[],
  checks: Pick<CheckStream, "backlog">,
  now = Date.now(),
): Promise<RegionInfo[]> {
  const names = [...new Set([...regions, ...workers.map((w) => w.region)])];
  return Promise.all(
    names.map(async (name) => {
      const [general, icmp] = (await Promise.all(
        CHECK_LANES.map((lane) => checks.backlog(name, DEPTH_SAMPLE, lane)),
      )) as [CheckBacklog, CheckBacklog];
      const oldest = [general.oldest, icmp.oldest]
        .filter((entry) => entry !== undefined)
        .sort((a, b) => a.addedAt - b.addedAt)[0];
      const staff = workers.filter((w) => w.region === name);
      const pingers = staff.filter((w) => w.icmp).length;
      const lag = regionLag(staff);
      return {
        name,
        workers: staff.length,
        queue_depth: general.waitingChecks + icmp.waitingChecks,
        oldest_job_age_ms: oldest ? Math.max(0, now - oldest.addedAt) : null,
        checks_per_minute: staff.reduce((sum, w) => sum + w.checks_per_minute, 0),
        schedule_lag_p50_ms: lag.p50,
        schedule_lag_p99_ms: lag.p99,
        dispatching: regionDispatching(staff.length > 0, general.oldest, now),
        icmp_workers: pingers,
        ping_dispatching: regionDispatching(pingers > 0, icmp.oldest, now),
      };
    }),
  );
}
