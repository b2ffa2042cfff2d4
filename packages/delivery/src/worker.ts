import type { SqlClient } from "@upfleet/db";
import type { Logger } from "@upfleet/logger";
import { type JobHandler, type JobQueue, type JobWorker, work } from "@upfleet/queue";
import { type ConnectionOptions, DelayedError } from "bullmq";
import { Counter, Histogram, type Registry } from "prom-client";
import { runAttempt } from "./attempt.ts";
import { createAttemptStore, STALE_ATTEMPT_MS } from "./attempt-store.ts";
import { InFlightGate } from "./gate.ts";
import type { Senders } from "./senders.ts";

export interface DeliveryWorkerOptions {
  connection: ConnectionOptions;
  /** bullPrefix(REDIS_PREFIX). */
  prefix: string;
  /** Plain node-postgres (createSqlPool): the attempts' statements, batched. */
  sql: SqlClient;
  logger: Logger;
  metrics?: Registry;
  senders: Senders;
  /** The queue next attempts are added to. */
  queue: JobQueue<"delivery">;
  delays: readonly number[];
  /** Sends in flight at once in this process; most of their time is waiting on receivers. */
  concurrency?: number;
  /** Sends in flight at once to one channel; the jobs over it wait their turn. */
  perChannelLimit?: number;
  /** Jobs waiting in one channel's line (a full line sends the next back to the queue for a while). */
  perChannelLine?: number;
}

const DEFAULT_CONCURRENCY = 200;
const DELIVERY_LOCK_MS = 15_000;
const DEFAULT_PER_CHANNEL = 8;
/**
 * A channel's line: up to four times its in-flight cap, but at most an eighth of the worker's slots.
 * When a burst goes to fewer channels than the worker has slots for, a line as short as the cap made
 * the spare slots spin (fetch a job, read it, be refused, put it back: Redis and database round trips
 * for nothing) where they now wait; a receiver that hangs still holds at most 8 + 25 of 200 slots,
 * the waiting ones for 2 s at a time.
 */
function defaultLine(perChannel: number, concurrency: number): number {
  return Math.max(perChannel, Math.min(4 * perChannel, Math.floor(concurrency / 8)));
}
/** A job refused by the gate comes back after this (plus jitter, so a burst does not return at once). */
const BUSY_RETRY_MS = 250;

function metricsFor(registry: Registry | undefined) {
  if (!registry) return null;
  return {
    attempts: new Counter({
      name: "upfleet_notification_attempts_total",
      help: "Notification delivery attempts, by outcome",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: "upfleet_notification_send_seconds",
      help: "Time to send one notification attempt",
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}

/**
 * Consumes the notifications queue: one job per attempt. A failed attempt schedules the next one as
 * its own delayed job (BullMQ's retries are only for crashes and database errors).
 */
export function startDeliveryWorker(options: DeliveryWorkerOptions): JobWorker {
  const { logger, senders, queue, delays } = options;
  const store = createAttemptStore(options.sql);
  const perChannel = options.perChannelLimit ?? DEFAULT_PER_CHANNEL;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const gate = new InFlightGate(perChannel, undefined, options.perChannelLine ?? defaultLine(perChannel, concurrency));
  const metrics = metricsFor(options.metrics);

  const process: JobHandler<"delivery"> = async (data, job, token) => {
    const outcome = await runAttempt({ store, senders, delays }, data, gate);
    if (outcome.kind === "held") {
      // Completing it instead would leave a dead worker's attempt stuck: the job id, kept a while
      // after completion, would absorb the sweeper's re-adds.
      await job.moveToDelayed(Date.now() + STALE_ATTEMPT_MS + Math.floor(Math.random() * BUSY_RETRY_MS), token);
      throw new DelayedError();
    }
    if (outcome.kind === "busy") {
      await job.moveToDelayed(Date.now() + BUSY_RETRY_MS + Math.floor(Math.random() * BUSY_RETRY_MS), token);
      throw new DelayedError();
    }
    if (outcome.kind === "skipped") {
      logger.debug({ ...data, why: outcome.why }, "delivery attempt skipped");
      return;
    }
    const { decision, notificationStatus } = outcome;
    metrics?.attempts.inc({ outcome: decision.status });
    metrics?.duration.observe(outcome.durationMs / 1000);
    const log = { ...data, status: notificationStatus, responseStatus: decision.responseStatus, error: decision.error };
    if (decision.disableReason) logger.warn({ ...log, reason: decision.disableReason }, "channel disabled");
    if (notificationStatus === "pending" && decision.retryInMs !== null) {
      await queue.enqueue({ notificationId: data.notificationId, attempt: outcome.attempt + 1 }, decision.retryInMs);
      logger.info({ ...log, retryInMs: decision.retryInMs }, "notification attempt failed; retry scheduled");
    } else if (notificationStatus === "failed") {
      logger.warn(log, "notification failed for good");
    } else {
      logger.debug(log, "notification delivered");
    }
  };

  const worker = work("delivery", process, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency,
    // A killed alerter's jobs come back within ~20 s rather than BullMQ's 30 s lock plus 30 s sweep:
    // the lock (renewed while a send runs) outlasts the 10 s send timeout, and stalls are looked for often.
    lockDuration: DELIVERY_LOCK_MS,
    stalledInterval: 5_000,
    // Idle, block a minute on Redis rather than BullMQ's 5 s: a job added (or a retry coming due)
    // wakes the worker at once either way (issue #15).
    drainDelay: 60,
  });
  worker.bull.on("error", (error) => logger.warn({ err: error }, "delivery worker error"));
  worker.bull.on("failed", (job, error) =>
    logger.warn({ err: error, jobId: job?.id }, "delivery attempt crashed; BullMQ will run it again"),
  );
  return worker;
}
