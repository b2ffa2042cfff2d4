import { isConnectionError, type MonitorEventRow, type SqlClient } from "@upfleet/db";
import { UnavailableError } from "@upfleet/errors";
import { newId } from "@upfleet/ids";
import type { Logger } from "@upfleet/logger";
import { Batcher } from "@upfleet/runtime";
import { LRUCache } from "lru-cache";
import { Counter, Histogram, type Registry } from "prom-client";
import { eventRows, loadMonitors, type PingRow, type RunRow, type StoredMonitor, writeHeartbeats } from "./store.ts";
import { applyPing, type HeartbeatState, type PingKind } from "./transitions.ts";

export interface PingInput {
  monitorId: string;
  kind: PingKind;
  exitCode: number | null;
  rid: string | null;
  method: string;
  sourceIp: string | null;
  userAgent: string | null;
  body: string | null;
}

/** `recorded: false`: the monitor was deleted (or is no heartbeat) by the time the ping was written. */
export type RecordResult = { recorded: true; id: string } | { recorded: false };

interface Pending {
  id: string;
  at: number;
  input: PingInput;
  resolve(result: RecordResult): void;
  reject(error: unknown): void;
}

export interface RecorderOptions {
  /** Pings written in one statement at most. */
  maxBatch?: number;
  /** Monitors whose state is kept in memory between batches (least recently pinged out first). */
  cacheSize?: number;
  /**
   * Batches written at the same time, each for its own share of the monitors, so one batch's database
   * round trips overlap another's work. Default 1: on our 2-core machines the API is CPU-bound and
   * two lanes measured 10–25 % fewer pings/s (smaller batches, same fixed cost each); worth raising
   * when the database is a network hop away.
   */
  lanes?: number;
}

/** What one batch writes, gathered while its pings are applied in arrival order. */
class BatchWrites {
  private readonly pings: PingRow[] = [];
  private readonly events: MonitorEventRow[] = [];
  private readonly states = new Map<string, { state: HeartbeatState; version: string }>();
  private readonly newRuns = new Map<string, RunRow>();
  private readonly finished: { id: string; at: Date }[] = [];

  apply(monitor: StoredMonitor, pending: Pending): void {
    const { input, at } = pending;
    const outcome = applyPing(
      monitor.schedule,
      this.stateOf(monitor.id) ?? monitor.state,
      { kind: input.kind, exitCode: input.exitCode, rid: input.rid, at },
      () => newId("heartbeatRun"),
    );
    this.states.set(monitor.id, { state: outcome.state, version: monitor.version });
    const when = new Date(at);
    if (outcome.opened) {
      const { id, rid, startedAt } = outcome.opened;
      this.newRuns.set(id, { id, monitorId: monitor.id, rid, startedAt: new Date(startedAt), finishedAt: null });
    }
    for (const run of outcome.closed) {
      const fresh = this.newRuns.get(run.id);
      if (fresh) fresh.finishedAt = when;
      else this.finished.push({ id: run.id, at: when });
    }
    this.pings.push({
      ...input,
      id: pending.id,
      organizationId: monitor.organizationId,
      durationMs: outcome.durationMs,
      createdAt: when,
    });
    this.events.push(...eventRows(monitor, outcome.changes));
  }

  stateOf(monitorId: string): HeartbeatState | undefined {
    return this.states.get(monitorId)?.state;
  }

  /** One statement; only the monitors still at the version read are written (with their pings). */
  write(sql: SqlClient): Promise<Map<string, string>> {
    return writeHeartbeats(sql, {
      pings: this.pings,
      newRuns: [...this.newRuns.values()],
      finished: this.finished,
      states: [...this.states].map(([id, { state, version }]) => ({ id, state, version })),
      events: this.events,
    }).then((result) => result.written);
  }
}

/** Tries before a ping is refused (503) because its monitor changed every time it was written. */
const MAX_ATTEMPTS = 5;

/** Histogram buckets: pings per statement, and seconds per batch write. */
const BATCH_SIZE_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
const BATCH_SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/**
 * Group commit for pings. Pings wait while a batch is being written and go together in the next
 * one: their monitors' state is taken from memory (read once, then kept as written), each ping is
 * applied in arrival order, and one statement writes the states, log, runs and state changes, for
 * each monitor only if its row is still the version the state came from. Only then are the requests
 * answered, so an answered ping is never lost. A monitor's pings always go through the same lane,
 * one batch at a time, so they are applied in order.
 */
export class PingRecorder {
  /** Each written one batch at a time, so the pings of a monitor (always in the same lane) stay in order. */
  private readonly lanes: Batcher<Pending>[];
  /** Heartbeat state of the monitors pinged lately, as last written or read. */
  private readonly cache: LRUCache<string, StoredMonitor>;
  private readonly replies: { pending: Pending; result: RecordResult }[] = [];
  private closed = false;
  private readonly pingsTotal: Counter<"kind">;
  private readonly batchSize: Histogram;
  private readonly batchSeconds: Histogram;

  constructor(
    /** `sql`: plain node-postgres, as Prisma's per-statement cost would cap the ping rate. */
    private readonly deps: { sql: SqlClient; logger: Logger; metrics: Registry },
    options: RecorderOptions = {},
  ) {
    this.pingsTotal = new Counter({
      name: "upfleet_heartbeat_pings_total",
      help: "Heartbeat pings recorded, by kind",
      labelNames: ["kind"] as const,
      registers: [deps.metrics],
    });
    const histogram = (name: string, help: string, buckets: number[]) =>
      new Histogram({ name, help, buckets, registers: [deps.metrics] });
    this.batchSize = histogram("upfleet_heartbeat_batch_pings", "Pings written per statement", BATCH_SIZE_BUCKETS);
    this.batchSeconds = histogram(
      "upfleet_heartbeat_batch_seconds",
      "Time to write one batch of pings",
      BATCH_SECONDS_BUCKETS,
    );
    const writeBatch = async (batch: Pending[]) => {
      const end = this.batchSeconds.startTimer();
      try {
        await this.settle(batch);
      } finally {
        end();
        this.batchSize.observe(batch.length);
      }
    };
    this.cache = new LRUCache({ max: options.cacheSize ?? 100_000 });
    // The first ping of a quiet moment is written at once (pings of the same tick join it).
    this.lanes = Array.from(
      { length: options.lanes ?? 1 },
      () => new Batcher(writeBatch, { maxBatch: options.maxBatch ?? 1000 }),
    );
  }

  /** Resolves once the ping is committed; its time is now, when it was received. */
  record(input: PingInput): Promise<RecordResult> {
    if (this.closed) return Promise.reject(new UnavailableError("The ping recorder (shutting down)"));
    return new Promise((resolve, reject) => {
      // The id's last characters are random: an even spread, and a monitor always in the same lane.
      const lane = this.lanes[Number.parseInt(input.monitorId.slice(-2), 36) % this.lanes.length]!;
      const pending: Pending = { id: newId("ping"), at: Date.now(), input, resolve, reject };
      // A batch answers its pings itself; this only catches a batch failing as a whole.
      lane.add(pending).catch(reject);
    });
  }

  /** Writes what is queued, then refuses new pings. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.lanes.map((lane) => lane.close()));
  }

  /**
   * Writes a batch and answers its requests. Pings whose monitor changed since it was read (another
   * API instance, the deadline watcher, an edit) are read again and retried. If the statement fails
   * for another reason than the database being unreachable, the pings are written one by one, so
   * one ping the database refuses fails alone rather than taking the others of its batch with it.
   */
  private async settle(batch: Pending[]): Promise<void> {
    let todo = batch;
    for (let attempt = 1; todo.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) {
        this.deps.logger.warn({ pings: todo.length }, "pings not recorded: their monitors kept changing");
        for (const pending of todo) pending.reject(new UnavailableError("The ping recorder (contention)"));
        return;
      }
      try {
        todo = await this.attempt(todo);
      } catch (error) {
        if (isDeadlock(error)) continue;
        if (todo.length > 1 && !isConnectionError(error)) {
          for (const pending of todo) await this.settle([pending]);
          return;
        }
        this.deps.logger.warn({ err: error, pings: todo.length }, "pings not recorded; their requests fail");
        for (const pending of todo) pending.reject(error);
        return;
      }
    }
  }

  /**
   * Applies the pings, in arrival order, to their monitors' state as last known (read now for those
   * not in memory), writes it all in one statement, and answers the pings that were written. Returns
   * the pings to retry: their monitor had changed since it was read, so it is forgotten and read again.
   */
  private async attempt(todo: Pending[]): Promise<Pending[]> {
    const unknown = [...new Set(todo.map((p) => p.input.monitorId))].filter((id) => !this.cache.get(id));
    for (const monitor of await loadMonitors(this.deps.sql, unknown)) this.cache.set(monitor.id, monitor);
    const writes = new BatchWrites();
    const applied = new Map<string, StoredMonitor>();
    for (const pending of todo) {
      const monitor = this.cache.get(pending.input.monitorId);
      if (!monitor || monitor.gone) {
        this.answer(pending, { recorded: false });
        continue;
      }
      writes.apply(monitor, pending);
      applied.set(monitor.id, monitor);
    }
    if (applied.size === 0) return [];
    const written = await writes.write(this.deps.sql);
    for (const monitor of applied.values()) {
      const version = written.get(monitor.id);
      if (version) this.cache.set(monitor.id, { ...monitor, state: writes.stateOf(monitor.id)!, version });
      else this.cache.delete(monitor.id);
    }
    const retry: Pending[] = [];
    for (const pending of todo) {
      if (!applied.has(pending.input.monitorId)) continue;
      if (written.has(pending.input.monitorId)) this.answer(pending, { recorded: true, id: pending.id });
      else retry.push(pending);
    }
    return retry;
  }

  /**
   * Answered on the next turn of the event loop: the lane sends its next batch first, so the
   * database works on it while these requests are answered.
   */
  private answer(pending: Pending, result: RecordResult): void {
    if (result.recorded) this.pingsTotal.inc({ kind: pending.input.kind });
    if (this.replies.length === 0) setImmediate(() => this.sendReplies());
    this.replies.push({ pending, result });
  }

  private sendReplies(): void {
    for (const { pending, result } of this.replies.splice(0)) pending.resolve(result);
  }
}

/** Two writers locked the same monitors in opposite orders; PostgreSQL undid one of them. */
function isDeadlock(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "40P01";
}
