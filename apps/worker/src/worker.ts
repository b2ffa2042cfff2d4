import { hostname } from "node:os";
import { type CheckResult, createCheckRunner, icmpProblem } from "@upfleet/checks";
import { newId } from "@upfleet/ids";
import type { Logger } from "@upfleet/logger";
import { createOutboundGuard, internalNamesOf } from "@upfleet/outbound";
import {
  type CheckDelivery,
  CheckJob,
  CheckStreamConsumer,
  checksStreamKey,
  FleetRegistry,
  LagWindow,
  lanesOf,
  MinuteCounter,
  type ResultJob,
} from "@upfleet/queue";
import { duplicateRedis, type RedisConnection } from "@upfleet/queue/redis";
import { closeRedis } from "@upfleet/runtime";
import { Counter, Histogram, type Registry } from "prom-client";
import type { z } from "zod";
import type { WorkerConfig } from "./config.ts";
import { isStale } from "./stale.ts";

const WORKER_VERSION = "0.1.0";
const REPORT_EVERY_MS = 5_000;

export interface WorkerDeps {
  redis: RedisConnection;
  logger: Logger;
  metrics: Registry;
}

export interface RunningWorker {
  id: string;
  /** Stops taking checks and waits for those in flight. */
  stop(): Promise<void>;
}

/** A check's own fields, without its spec. */
const CHECK_ENVELOPE = CheckJob.omit({ spec: true });

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

/** Why this worker takes no ping checks, or null when it takes them: switched off, or the machine cannot send ICMP. */
async function pingProblem(config: WorkerConfig): Promise<string | null> {
  if (!config.PING_CHECKS) return "switched off by configuration (PING_CHECKS=false)";
  const problem = await icmpProblem();
  return problem && `this machine cannot send ICMP: ${problem}`;
}

/**
 * Consumes the region's checks stream (`<prefix>:checks:<region>`, docs/adr/0014), and its ping checks'
 * (`…:icmp`) when it can send ICMP, which it learns at start (so a worker that cannot is never handed
 * one, and says why in the fleet registry and its log): runs each check and
 * publishes its result, under its round's id, to the region's results stream; an entry is acknowledged
 * only once every check of it has its result there. A worker killed mid-check (or before its result
 * was written) loses nothing: another worker claims the entry once it has been held too long, and a
 * second result for the same tick is stored once.
 */
export async function startWorker(config: WorkerConfig, deps: WorkerDeps): Promise<RunningWorker> {
  const id = newId("worker");
  const icmp = await pingProblem(config);
  const lanes = lanesOf({ icmp: icmp === null });
  const connection = duplicateRedis(deps.redis, { maxRetriesPerRequest: null });
  const guard = createOutboundGuard({
    allowCidrs: config.OUTBOUND_ALLOW_CIDRS,
    internalNames: internalNamesOf(config),
    dnsServers: config.CHECK_DNS_RESOLVERS,
  });
  const runner = createCheckRunner({ guard });
  const registry = new FleetRegistry(deps.redis, config.REDIS_PREFIX);
  const startedAt = new Date().toISOString();
  const outcomes = new Counter({
    name: "upfleet_worker_checks_total",
    help: "Checks run by this worker, by type (invalid: settings it cannot read) and outcome (skipped: stale on arrival)",
    labelNames: ["region", "type", "outcome"] as const,
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
  const checksRun = new MinuteCounter();

  /**
   * Runs a check into the result to publish; one without a spec could not be parsed (`invalid` says
   * why) and is answered down. `delivery`: how often it was taken back from a dead worker, which moves
   * its stale cutoff.
   */
  const runCheck = async (
    check: Omit<CheckJob, "spec"> & { spec: CheckJob["spec"] | null },
    delivery: CheckDelivery,
    invalid?: z.ZodError,
  ): Promise<ResultJob | null> => {
    const started = Date.now();
    const type = check.spec?.type ?? "invalid";
    if (isStale({ ...check, ...delivery }, started)) {
      outcomes.inc({ region: check.region, type, outcome: "skipped" });
      return null;
    }
    const lagMs = Math.max(0, started - check.tick);
    lag.observe({ region: check.region }, lagMs / 1000);
    recentLag.observe(lagMs, started);
    const result = check.spec ? await runner.run(check.spec) : unrunnable(invalid);
    outcomes.inc({ region: check.region, type, outcome: result.status });
    checksRun.add();
    return {
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
    };
  };

  // Results are batched into one stream entry per few milliseconds (docs/adr/0012) by the consumer,
  // which acknowledges the checks entries they complete in the same transaction.
  const checks = new CheckStreamConsumer({
    redis: connection,
    redisPrefix: config.REDIS_PREFIX,
    region: config.REGION,
    consumer: id,
    concurrency: config.CONCURRENCY,
    lanes,
    logger: deps.logger,
    run: (payload, delivery) => {
      const parsed = CheckJob.safeParse(payload);
      if (parsed.success) return runCheck(parsed.data, delivery);
      // A spec this worker cannot run (settings stored before a limit existed, say) is a down check that
      // says why, not a check failing unseen every tick; what is not a check at all is left unanswered.
      const envelope = CHECK_ENVELOPE.safeParse(payload);
      if (envelope.success) return runCheck({ ...envelope.data, spec: null }, delivery, parsed.error);
      deps.logger.warn({ err: envelope.error }, "not a check; skipped");
      return Promise.resolve(null);
    },
  });
  checks.start();

  const report = () =>
    registry
      .report({
        id,
        region: config.REGION,
        hostname: hostname(),
        version: WORKER_VERSION,
        concurrency: config.CONCURRENCY,
        in_flight: checks.inFlight,
        started_at: startedAt,
        last_seen_at: new Date().toISOString(),
        schedule_lag_ms: recentLag.percentiles(),
        checks_per_minute: checksRun.total(),
        icmp: icmp === null,
        icmp_problem: icmp,
      })
      .catch((error: unknown) => deps.logger.warn({ err: error }, "could not report to the fleet registry"));
  void report();
  const reporter = setInterval(report, REPORT_EVERY_MS);
  if (icmp) deps.logger.warn({ problem: icmp }, "this worker takes no ping checks");
  deps.logger.info(
    {
      id,
      streams: lanes.map((lane) => checksStreamKey(config.REDIS_PREFIX, config.REGION, lane)),
      concurrency: config.CONCURRENCY,
      icmp: icmp === null,
    },
    "worker started",
  );

  return {
    id,
    async stop() {
      clearInterval(reporter);
      // Stops reading and waits for the checks in flight (each bounded by its timeout).
      await checks.stop();
      runner.close();
      await registry.remove(id).catch(() => undefined);
      await closeRedis(connection);
    },
  };
}
