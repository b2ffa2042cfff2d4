import type { Db } from "@upfleet/db";
import { compactClosedPartitions, ensureCheckPartitions, type RetentionPolicy, runRetention } from "@upfleet/lifecycle";
import type { Logger } from "@upfleet/logger";
import { freezeHeldChecks } from "@upfleet/monitors";
import cron from "node-cron";
import { Counter, Gauge, type Registry } from "prom-client";

export interface DataLifecycle {
  stop(): Promise<void>;
}

/**
 * Partitions ahead, retention and the compaction of closed days: every alerter makes sure of the
 * partitions at start (so a result never waits for a lease), and the scheduler lease holder does
 * all three on RETENTION_SCHEDULE.
 */
export function startDataLifecycle(deps: {
  /** RETENTION_SCHEDULE. */
  schedule: string;
  db: Db;
  logger: Logger;
  metrics: Registry;
  policy: RetentionPolicy;
  isLeader(): boolean;
}): DataLifecycle {
  const { db, policy } = deps;
  const logger = deps.logger.child({ component: "retention" });
  const rowsDeleted = new Counter({
    name: "upfleet_retention_rows_deleted_total",
    help: "Rows removed by retention, by table",
    labelNames: ["table"] as const,
    registers: [deps.metrics],
  });
  const partitionsDropped = new Counter({
    name: "upfleet_retention_partitions_dropped_total",
    help: "Daily check_results partitions dropped by retention",
    registers: [deps.metrics],
  });
  const lastRun = new Gauge({
    name: "upfleet_retention_last_run_seconds",
    help: "How long the last retention run took",
    registers: [deps.metrics],
  });

  const ensurePartitions = async () => {
    const created = await ensureCheckPartitions(db);
    if (created.length) logger.info({ created }, "check_results partitions created");
  };
  const runOnce = async () => {
    await ensurePartitions();
    const report = await runRetention(db, policy, { beforeDrop: (day) => freezeHeldChecks(db, day) });
    partitionsDropped.inc(report.partitionsDropped.length);
    for (const [table, n] of Object.entries(report.deleted)) rowsDeleted.inc({ table }, n);
    lastRun.set(report.durationMs / 1000);
    logger.info(
      {
        partitionsDropped: report.partitionsDropped,
        deleted: report.deleted,
        durationMs: Math.round(report.durationMs),
      },
      "retention run",
    );
    const compacted = await compactClosedPartitions(db);
    if (compacted.length) logger.info({ compacted }, "check_results partitions of closed days compacted");
  };
  const failed = (what: string) => (error: unknown) =>
    logger.error({ err: error }, `${what} failed; next attempt on schedule`);

  const started = ensurePartitions().catch(failed("creating check_results partitions"));
  const scheduled = cron.schedule(deps.schedule, async () => {
    if (deps.isLeader()) await runOnce().catch(failed("retention"));
  });
  return {
    async stop() {
      await scheduled.stop();
      await started;
    },
  };
}
