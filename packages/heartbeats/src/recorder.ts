import { isConnectionError, type SqlPool, type TransactionClient } from "@upfleet/db";
import { UnavailableError } from "@upfleet/errors";
import { newId } from "@upfleet/ids";
import type { Logger } from "@upfleet/logger";
import { Counter, Histogram, type Registry } from "prom-client";
import {
  type EventRow,
  eventRows,
  type LockedMonitor,
  lockMonitors,
  type PingRow,
  type RunRow,
  writeHeartbeatsAndCommit,
} from "./store.ts";
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
  /** Pings written in one transaction at most. */
  maxBatch?: number;
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
  private readonly events: EventRow[] = [];
  private readonly states = new Map<string, HeartbeatState>();
  private readonly newRuns = new Map<string, RunRow>();
  private readonly finished: { id: string; at: Date }[] = [];

  apply(monitor: LockedMonitor, pending: Pending): void {
    const { input, at } = pending;
    const outcome = applyPing(
      monitor.schedule,
      this.states.get(monitor.id) ?? monitor.state,
      { kind: input.kind, exitCode: input.exitCode, rid: input.rid, at },
      () => newId("heartbeatRun"),
    );
    this.states.set(monitor.id, outcome.state);
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

  /** The batch's one statement, sent with the COMMIT: a round trip less per batch. */
  writeAndCommit(tx: TransactionClient): Promise<void> {
    return writeHeartbeatsAndCommit(tx, {
      pings: this.pings,
      newRuns: [...this.newRuns.values()],
      finished: this.finished,
      states: [...this.states].map(([id, state]) => ({ id, state })),
      events: this.events,
    });
  }
}

/**
 * Group commit for pings. Pings wait while a batch is being written and go together in the next
 * one: one transaction locks their monitors (in id order), applies each ping in arrival order,
 * writes the log, runs, states and state changes, and only then are the requests answered, so an
 * answered ping is never lost. A monitor's pings always go through the same lane, one batch at a
 * time, so they are applied in order; lanes hold disjoint monitors, so their locks never meet.
 */
/** A queue written one batch at a time, so the pings of a monitor (always in the same lane) stay in order. */
class Lane {
  private queue: Pending[] = [];
  private draining: Promise<void> | undefined;

  constructor(
    private readonly maxBatch: number,
    private readonly writeBatch: (batch: Pending[]) => Promise<void>,
  ) {}

  push(pending: Pending): void {
    this.queue.push(pending);
    // The first ping of a quiet moment is written at once (pings of the same tick join it).
    this.draining ??= new Promise<void>((started) => setImmediate(started)).then(() => this.drain());
  }

  idle(): Promise<void> {
    return this.draining ?? Promise.resolve();
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) await this.writeBatch(this.queue.splice(0, this.maxBatch));
    } finally {
      this.draining = undefined;
    }
  }
}

export class PingRecorder {
  private readonly lanes: Lane[];
  private closed = false;
  private readonly pingsTotal: Counter<"kind">;
  private readonly batchSize: Histogram;
  private readonly batchSeconds: Histogram;

  constructor(
    /** `sql`: plain node-postgres, as Prisma's per-transaction cost would cap the ping rate. */
    private readonly deps: { sql: SqlPool; logger: Logger; metrics: Registry },
    options: RecorderOptions = {},
  ) {
    this.pingsTotal = new Counter({
      name: "upfleet_heartbeat_pings_total",
      help: "Heartbeat pings recorded, by kind",
      labelNames: ["kind"] as const,
      registers: [deps.metrics],
    });
    this.batchSize = new Histogram({
      name: "upfleet_heartbeat_batch_pings",
      help: "Pings written per transaction",
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
      registers: [deps.metrics],
    });
    this.batchSeconds = new Histogram({
      name: "upfleet_heartbeat_batch_seconds",
      help: "Time to write one batch of pings",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [deps.metrics],
    });
    const writeBatch = async (batch: Pending[]) => {
      const end = this.batchSeconds.startTimer();
      try {
        await this.settle(batch);
      } finally {
        end();
        this.batchSize.observe(batch.length);
      }
    };
    this.lanes = Array.from({ length: options.lanes ?? 1 }, () => new Lane(options.maxBatch ?? 1000, writeBatch));
  }

  /** Resolves once the ping is committed; its time is now, when it was received. */
  record(input: PingInput): Promise<RecordResult> {
    if (this.closed) return Promise.reject(new UnavailableError("The ping recorder (shutting down)"));
    return new Promise((resolve, reject) => {
      // The id's last characters are random: an even spread, and a monitor always in the same lane.
      const lane = this.lanes[Number.parseInt(input.monitorId.slice(-2), 36) % this.lanes.length]!;
      lane.push({ id: newId("ping"), at: Date.now(), input, resolve, reject });
    });
  }

  /** Writes what is queued, then refuses new pings. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.lanes.map((lane) => lane.idle()));
  }

  /**
   * Writes a batch and answers its requests. If the batch fails for another reason than the database
   * being unreachable, its pings are written one by one, so one ping the database refuses fails
   * alone rather than taking the others of its batch with it.
   */
  private async settle(batch: Pending[]): Promise<void> {
    try {
      const results = await this.write(batch);
      batch.forEach((pending, i) => {
        pending.resolve(results[i]!);
        this.pingsTotal.inc({ kind: pending.input.kind });
      });
    } catch (error) {
      if (batch.length > 1 && !isConnectionError(error)) {
        for (const pending of batch) await this.settle([pending]);
        return;
      }
      this.deps.logger.warn({ err: error, pings: batch.length }, "pings not recorded; their requests fail");
      for (const pending of batch) pending.reject(error);
    }
  }

  private write(batch: Pending[]): Promise<RecordResult[]> {
    const ids = [...new Set(batch.map((p) => p.input.monitorId))].sort();
    return this.deps.sql.transaction(async (sql) => {
      const monitors = new Map((await lockMonitors(sql, ids)).map((m) => [m.id, m]));
      const writes = new BatchWrites();
      const results = batch.map((pending): RecordResult => {
        const monitor = monitors.get(pending.input.monitorId);
        if (!monitor || monitor.gone) return { recorded: false };
        writes.apply(monitor, pending);
        return { recorded: true, id: pending.id };
      });
      await writes.writeAndCommit(sql);
      return results;
    });
  }
}
