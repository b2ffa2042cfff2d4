import { hostname } from "node:os";
import { type CheckResult, createCheckRunner, icmpProblem } from "@upfleet/checks";
import { newId } from "@upfleet/ids";
import type { Logger } from "@upfleet/logger";
import { createOutboundGuard, internalNamesOf } from "@upfleet/outbound";
import {
  bullPrefix,
  CHECK_WORKER_LOCK_MS,
  type CheckJob,
  checksQueueName,
  FleetRegistry,
  JOBS,
  LagWindow,
  ResultPublisher,
  work,
} from "@upfleet/queue";
import { duplicateRedis, type RedisConnection } from "@upfleet/queue/redis";
import { closeRedis } from "@upfleet/runtime";
import { Counter, Histogram, type Registry } from "prom-client";
import type { z } from "zod";
import type { WorkerConfig } from "./config.ts";
import { isStale, STALLED_CHECK_EVERY_MS } from "./stale.ts";

const WORKER_VERSION = "0.1.0";
const REPORT_EVERY_MS = 5_000;

export interface WorkerDeps {
  redis: RedisConnection;
  logger: Logger;
  metrics: Registry;
}

export interface RunningWorker {
  id: string;
  /** Stops taking jobs and waits for those in flight. */
  stop(): Promise<void>;
}

/** A check job's own fields, without its spec. */
const CHECK_ENVELOPE = JOBS.check.schema.omit({ spec: true });

function unrunnable(error: z.ZodError | undefined): CheckResult {
  const issue = error?.issues[0];
  const where = issue?.path.filter((p) => p !== "spec").join(".");
  return {
    status: "down",
    responseMs: null,
    httpStatus: null,
    error: "invalid_settings",
    message: `The monitor's settings cannot be checked${where ? ` (${where}: ${issue?.message})` : ""}; edit the monitor`,
    timings: {},
    details: {},
  };
}

/**
 * Consumes `checks-<region>`: runs each check and publishes its result, under the job's own
 * deterministic id, to the region's results stream; the job completes only once the result is there.
 * A worker killed mid-check (or before its result was written) loses nothing: BullMQ hands its job to
 * another worker once the lock expires, and a second result for the same tick is stored once.
 */
export function startWorker(config: WorkerConfig, deps: WorkerDeps): RunningWorker {
  const id = newId("worker");
  const prefix = bullPrefix(config.REDIS_PREFIX);
  const connection = duplicateRedis(deps.redis, { maxRetriesPerRequest: null });
  const guard = createOutboundGuard({
    allowCidrs: config.OUTBOUND_ALLOW_CIDRS,
    internalNames: internalNamesOf(config),
    dnsServers: config.CHECK_DNS_RESOLVERS,
  });
  const runner = createCheckRunner({ guard });
  // Results are batched into one stream entry per few milliseconds (docs/adr/0012), on the connection
  // that waits out a Redis outage: a result written late is still stored, one given up is a lost check.
  const results = new ResultPublisher(connection, config.REDIS_PREFIX, config.REGION);
  const registry = new FleetRegistry(deps.redis, config.REDIS_PREFIX);
  const startedAt = new Date().toISOString();
  const outcomes = new Counter({
    name: "upfleet_worker_checks_total",
    help: "Checks run by this worker, by outcome (skipped: stale on arrival)",
    labelNames: ["region", "outcome"] as const,
    registers: [deps.metrics],
  });
  const lag = new Histogram({
    name: "upfleet_worker_schedule_lag_seconds",
    help: "Check start minus its scheduled tick",
    labelNames: ["region"] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [deps.metrics],
  });
  const recentLag = new LagWindow();

  /**
   * Runs a check; one without a spec could not be parsed (`invalid` says why) and is answered down.
   * `stalls`: how often BullMQ took the job back from a dead worker, which moves its stale cutoff.
   */
  const runCheck = async (
    check: Omit<CheckJob, "spec"> & { spec: CheckJob["spec"] | null },
    stalls: number,
    invalid?: z.ZodError,
  ) => {
    const started = Date.now();
    if (isStale({ ...check, timeoutMs: check.spec?.timeoutMs ?? 0, stalls }, started)) {
      outcomes.inc({ region: check.region, outcome: "skipped" });
      return;
    }
    const lagMs = Math.max(0, started - check.tick);
    lag.observe({ region: check.region }, lagMs / 1000);
    recentLag.observe(lagMs, started);
    const result = check.spec ? await runner.run(check.spec) : unrunnable(invalid);
    outcomes.inc({ region: check.region, outcome: result.status });
    await results.publish({
      monitorId: check.monitorId,
      organizationId: check.organizationId,
      region: check.region,
      tick: check.tick,
      intervalMs: check.intervalMs,
      workerId: id,
      startedAt: started,
      finishedAt: Date.now(),
      result,
      // Copied unchanged: the alerter stores only results whose proof names the round it dispatched.
      proof: check.proof,
    });
  };

  const worker = work("check", (check, job) => runCheck(check, job.stalledCounter), {
    connection,
    prefix,
    region: config.REGION,
    concurrency: config.CONCURRENCY,
    lockDuration: CHECK_WORKER_LOCK_MS,
    // BullMQ takes a dead worker's job back at a stalled-job check that finds it marked by the check
    // before and its lock gone. Every 30 s (the default) that is 30–60 s after the job started: past
    // a 10 s monitor's stale limit, so the re-run was skipped and the tick lost. Checked every second,
    // the job comes back about a second after its lock expires (stale.ts allows for that time).
    stalledInterval: STALLED_CHECK_EVERY_MS,
    maxStalledCount: 2,
    // Per-minute completion counts, kept in Redis for a day: /regions reads checks per minute here.
    metrics: { maxDataPoints: 24 * 60 },
    // A spec this worker cannot run (settings stored before a limit existed, say) is a down check that
    // says why, not a job failing unseen every tick.
    onInvalid: (job, error) => runCheck({ ...CHECK_ENVELOPE.parse(job.data), spec: null }, job.stalledCounter, error),
  });
  worker.bull.on("failed", (job, error) => deps.logger.warn({ err: error, jobId: job?.id }, "check job failed"));
  worker.bull.on("error", (error) => deps.logger.warn({ err: error }, "check worker error"));

  let inFlight = 0;
  worker.bull.on("active", () => inFlight++);
  worker.bull.on("completed", () => inFlight--);
  worker.bull.on("failed", () => inFlight--);
  const report = () =>
    registry
      .report({
        id,
        region: config.REGION,
        hostname: hostname(),
        version: WORKER_VERSION,
        concurrency: config.CONCURRENCY,
        in_flight: Math.max(0, inFlight),
        started_at: startedAt,
        last_seen_at: new Date().toISOString(),
        schedule_lag_ms: recentLag.percentiles(),
      })
      .catch((error: unknown) => deps.logger.warn({ err: error }, "could not report to the fleet registry"));
  void report();
  const reporter = setInterval(report, REPORT_EVERY_MS);
  deps.logger.info({ id, queue: checksQueueName(config.REGION), concurrency: config.CONCURRENCY }, "worker started");
  // Ping checks still come to this worker (its region's queue is shared) and are reported down with
  // the same reason; said once here so an operator sees it before the first one does.
  void icmpProblem().then((problem) => {
    if (problem) deps.logger.warn({ problem }, "this machine cannot send ICMP: ping checks run here will fail");
  });

  return {
    id,
    async stop() {
      clearInterval(reporter);
      // close() stops fetching and waits for the checks in flight (each bounded by its timeout).
      await worker.close();
      await results.close();
      runner.close();
      await registry.remove(id).catch(() => undefined);
      await closeRedis(connection);
    },
  };
}
