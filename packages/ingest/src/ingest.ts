import type { Db, SqlClient } from "@upfleet/db";
import type { Logger } from "@upfleet/logger";
import type { ResultJob } from "@upfleet/queue";
import { Batcher } from "@upfleet/runtime";
import { Counter, Histogram, type Registry } from "prom-client";
import { type LatestCheck, latestOf, writeMonitors } from "./monitor-writes.ts";
import { decideRounds, readUndecided, type Undecided } from "./rounds.ts";
import { writeSslExpiryEvents } from "./ssl-expiry.ts";
import { storeBatch } from "./store-results.ts";

export interface IngestOptions {
  maxBatch?: number;
  maxWaitMs?: number;
  /** Called once state changes are committed (monitor_events written), e.g. to consume them now. */
  onStateChange?: () => void;
}

/** Histogram buckets, in seconds: a check's lag behind its tick, and its run time. */
const LAG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];
const DURATION_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The results consumer's work: each result joins a batch; a batch is stored and folded into rollups
 * by one statement, which also reads back its monitors' open rounds; the rounds decided and the
 * monitors' last checks are written by a second one. A result's stream entry is acknowledged only
 * once its batch is committed, so a crash before that leaves it to be delivered again (and the insert,
 * idempotent on (monitor, region, tick), stores it once; its rounds are still open, and decided then).
 */
export class ResultIngest {
  private readonly batcher: Batcher<ResultJob>;
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly checks: Counter<"region" | "outcome">;
  private readonly lag: Histogram<"region">;
  private readonly duration: Histogram<"region">;

  constructor(
    private readonly deps: {
      db: Db;
      /** Plain node-postgres for the two statements per batch (Prisma's cost per statement is several times it). */
      sql: SqlClient;
      logger: Logger;
      metrics: Registry;
    },
    private readonly options: IngestOptions = {},
  ) {
    // Each batch costs two statements whatever its size (the store, the rounds), so the
    // wait sets the alerter's cost per result; a quarter second keeps state changes prompt next to
    // any check interval.
    this.batcher = new Batcher((jobs: ResultJob[]) => this.write(jobs), {
      maxBatch: options.maxBatch ?? 500,
      maxWaitMs: options.maxWaitMs ?? 250,
    });
    this.checks = new Counter({
      name: "upfleet_checks_total",
      help: "Stored check results by region and outcome",
      labelNames: ["region", "outcome"] as const,
      registers: [deps.metrics],
    });
    const byRegion = (name: string, help: string, buckets: number[]) =>
      new Histogram({ name, help, labelNames: ["region"] as const, buckets, registers: [deps.metrics] });
    this.lag = byRegion("upfleet_schedule_lag_seconds", "Check start minus its scheduled tick", LAG_BUCKETS);
    this.duration = byRegion(
      "upfleet_check_duration_seconds",
      "Check run time as measured by the worker",
      DURATION_BUCKETS,
    );
  }

  /** Stores a result, resolving once its batch is committed. */
  handle = async (result: ResultJob): Promise<void> => {
    await this.batcher.add(result);
  };

  /** Stores results (those ResultGate admitted from the streams), resolving once all are committed. */
  handleAll = async (results: ResultJob[]): Promise<void> => {
    await Promise.all(results.map(this.handle));
  };

  async close(): Promise<void> {
    await this.batcher.close();
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private async write(jobs: ResultJob[]): Promise<void> {
    const { db, sql } = this.deps;
    const { undecided } = await storeBatch(sql, jobs);
    await this.decide(undecided, latestOf(jobs));
    // After the rounds, so the event carries the status this batch left the monitor in; also for a
    // redelivered batch whose results were stored before a crash (the events are unique per tick).
    const expiring = await writeSslExpiryEvents(db, jobs);
    if (expiring > 0) {
      this.deps.logger.info({ events: expiring }, "ssl certificates expiring");
      this.options.onStateChange?.();
    }
    for (const job of jobs) {
      this.checks.inc({ region: job.region, outcome: job.result.status });
      this.lag.observe({ region: job.region }, Math.max(0, job.startedAt - job.tick) / 1000);
      this.duration.observe({ region: job.region }, (job.finishedAt - job.startedAt) / 1000);
    }
  }

  /** Applies open rounds and writes last checks; rounds still waiting for regions are decided at their deadline. */
  private async decide(undecided: Undecided, latest: LatestCheck[] = []): Promise<void> {
    const { states, events: changes, pending } = decideRounds(undecided, Date.now());
    const events = await writeMonitors(this.deps.sql, { states, latest, events: changes });
    if (events) {
      this.deps.logger.info({ events }, "monitor state changed");
      this.options.onStateChange?.();
    }
    for (const [monitorId, deadline] of pending) {
      if (this.pending.has(monitorId)) continue;
      const timer = setTimeout(
        () => {
          this.pending.delete(monitorId);
          readUndecided(this.deps.sql, [monitorId])
            .then((undecided) => this.decide(undecided))
            .catch((error: unknown) => this.deps.logger.error({ err: error, monitorId }, "could not decide a round"));
        },
        Math.max(0, deadline - Date.now()) + 50,
      );
      timer.unref();
      this.pending.set(monitorId, timer);
    }
  }
}
