import { MaintenanceEndWatcher, startAlerting } from "@upfleet/alerting";
import { createSqlPool, type Db } from "@upfleet/db";
import { ResultIngest } from "@upfleet/ingest";
import { retentionPolicy } from "@upfleet/lifecycle";
import type { Logger } from "@upfleet/logger";
import { bullPrefix, CHECK_LANES, CheckStream, FleetRegistry, LeaderLock, ScheduleStore } from "@upfleet/queue";
import { duplicateRedis, type RedisConnection } from "@upfleet/queue/redis";
import { closeRedis, withTimeout } from "@upfleet/runtime";
import { type Keyring, keyedMac } from "@upfleet/secrets";
import cron from "node-cron";
import { Gauge, type Registry } from "prom-client";
import type { AlerterConfig } from "./config.ts";
import { startDataLifecycle } from "./data-lifecycle.ts";
import { startDelivery } from "./delivery-service.ts";
import { startDomainClaims } from "./domain-claims.ts";
import { startExports } from "./export-service.ts";
import { DeadlineWatcher } from "./heartbeat-deadlines.ts";
import { startResultsConsumer } from "./results-consumer.ts";
import { Dispatcher } from "./scheduler/dispatcher.ts";
import { Reconciler } from "./scheduler/reconciler.ts";
import { WorkProbe } from "./work-probe.ts";

export interface AlerterDeps {
  db: Db;
  redis: RedisConnection;
  logger: Logger;
  metrics: Registry;
  /** ENCRYPTION_KEY: opens the credentials the workers' specs and the deliveries need. */
  keyring: Keyring;
}

export interface RunningAlerter {
  /** Stops consuming and waits for the work in hand. */
  stop(): Promise<void>;
}

const LEASE_MS = 10_000;
const RENEW_EVERY_MS = 3_000;
const QUEUE_DEPTH_TIMEOUT_MS = 1_000;
/**
 * How often the consumers the work probe wakes look on their own: the probe's 30 s sweep is the net
 * for a lost notification and a lost job, this one only for the probe failing (issue #15: an idle
 * alerter sends PostgreSQL one statement a sweep, not one per consumer). The delivery sweeper's is
 * NOTIFICATION_SWEEP_INTERVAL_MS, of the same default.
 */
const CONSUMER_NET_MS = 300_000;
/** Waiting entries whose checks a scrape counts (past them the depth is extrapolated). */
const DEPTH_SAMPLE = 20;

/**
 * The alerter: consumes the regions' results streams and turns the state changes they cause into
 * incidents (every instance), and, in the one instance holding the scheduler lease, dispatches due
 * checks and reconciles Redis's schedule with PostgreSQL at start, whenever it takes the lease, and
 * every minute.
 */
export function startAlerter(config: AlerterConfig, deps: AlerterDeps): RunningAlerter {
  const { db, redis, logger, metrics } = deps;
  const prefix = bullPrefix(config.REDIS_PREFIX);
  const connection = duplicateRedis(redis, { maxRetriesPerRequest: null });
  // Read for its backlog (the dispatcher's checks go with the schedule's advance, ScheduleStore.advance).
  const checks = new CheckStream(connection, config.REDIS_PREFIX);
  const store = new ScheduleStore(redis, config.REDIS_PREFIX);
  const lease = new LeaderLock(redis, `${config.REDIS_PREFIX}:lock:scheduler`, LEASE_MS);
  const fleet = new FleetRegistry(redis, config.REDIS_PREFIX);
  // Derived from ENCRYPTION_KEY, which every alerter holds and no worker does: whichever alerter
  // ingests a result can check the proof another one signed, and a Redis flush loses nothing (ADR 0011).
  const proofs = keyedMac(deps.keyring, "dispatch-proof");
  const dispatcher = new Dispatcher({ store, checks, logger, metrics, isLeader: () => lease.isHeld, fleet, proofs });
  const alerting = startAlerting({
    db,
    logger,
    metrics,
    connection,
    prefix,
    isLeader: () => lease.isHeld,
    netMs: CONSUMER_NET_MS,
  });

  const reconciler = new Reconciler({ db, store, logger, metrics, keyring: deps.keyring });
  const reconcile = () =>
    reconciler
      .run()
      .catch((error: unknown) =>
        logger.error({ err: error }, "schedule reconciliation failed; next attempt in a minute"),
      );
  let leaseTimer: NodeJS.Timeout | undefined;
  let stopping = false;
  const holdLease = async () => {
    const outcome = await lease.hold();
    // The next attempt is timed before any rebuild, so a long one never delays a renewal; a standby
    // tries again as the leader's lease runs out.
    if (!stopping) leaseTimer = setTimeout(() => void holdLease(), lease.nextAttemptIn(RENEW_EVERY_MS));
    // Taking the lease (at start, after another alerter died, after Redis lost it) means the
    // schedule may be missing: rebuild it before dispatching.
    if (outcome === "taken") {
      logger.info("scheduler lease taken");
      await reconcile();
      alerting.sweep();
    }
  };
  void holdLease();
  const minutely = cron.schedule("* * * * *", async () => {
    if (!lease.isHeld) return;
    await reconcile();
  });
  dispatcher.start();

  // On the 5-minute net: a monitor can turn out down at a window's end after the end was first looked
  // at (a deadline or round decided just after it), and every state change, this process's or another's
  // (the probe's `unapplied`), makes it look again while an end is recent.
  const maintenanceEnds = new MaintenanceEndWatcher(
    { db, logger, metrics },
    { onStateChange: () => alerting.stateChanged(), pollMs: CONSUMER_NET_MS },
  );
  maintenanceEnds.start();
  const stateChanged = () => {
    alerting.stateChanged();
    maintenanceEnds.stateChanged();
  };

  // The ingest's own pool: one batch is written at a time, and a round decided at its deadline beside it.
  const ingestSql = createSqlPool(config.DATABASE_URL, { max: 2 });
  const ingest = new ResultIngest({ db, sql: ingestSql, logger, metrics }, { onStateChange: stateChanged });
  // Every instance: deadlines are rows in PostgreSQL, shared out with SKIP LOCKED.
  const deadlines = new DeadlineWatcher(
    { db, logger, metrics },
    { onStateChange: stateChanged, pollMs: CONSUMER_NET_MS },
  );
  deadlines.start();
  const probe = new WorkProbe(db, config.DATABASE_URL, logger, {
    unapplied: stateChanged,
    unrouted: () => alerting.eventsWaiting(),
    deadline: (at) => deadlines.armAt(at),
    windowsChanged: () => maintenanceEnds.windowsChanged(),
    // Called after a query, so once every consumer below exists.
    outboxPending: (kinds) => {
      if (kinds.delivery) delivery.sweep();
      if (kinds.export) exports.sweep();
      if (kinds.escalation) alerting.sweep();
    },
  });
  probe.start();
  const consumer = startResultsConsumer({
    redis,
    redisPrefix: config.REDIS_PREFIX,
    regions: config.REGIONS,
    fleet,
    proofs,
    ingest,
    logger,
    metrics,
  });
  const delivery = startDelivery(config, { db, logger, metrics, connection, prefix, keyring: deps.keyring });
  const exports = startExports(config, { db, logger, connection, prefix });
  const domainClaims = startDomainClaims(config, { db, logger, isLeader: () => lease.isHeld });
  const lifecycle = startDataLifecycle({
    schedule: config.RETENTION_SCHEDULE,
    db,
    logger,
    metrics,
    policy: retentionPolicy(config),
    isLeader: () => lease.isHeld,
  });

  new Gauge({
    name: "upfleet_queue_depth",
    help: "Checks waiting in the region's streams (its ping checks' too), not yet handed to a worker, by region",
    labelNames: ["region"] as const,
    registers: [metrics],
    // The streams' connection waits for Redis as long as it takes; a scrape must not (Prometheus would
    // time out and lose every other metric with it), so a depth not read within a second is left out.
    async collect() {
      this.reset();
      await Promise.all(
        config.REGIONS.map(async (region) => {
          const backlogs = Promise.all(CHECK_LANES.map((lane) => checks.backlog(region, DEPTH_SAMPLE, lane)));
          const both = await withTimeout(backlogs, QUEUE_DEPTH_TIMEOUT_MS).catch(() => null);
          if (both)
            this.set(
              { region },
              both.reduce((sum, backlog) => sum + backlog.waitingChecks, 0),
            );
        }),
      );
    },
  });
  logger.info({ regions: config.REGIONS }, "alerter started");

  return {
    async stop() {
      stopping = true;
      clearTimeout(leaseTimer);
      await minutely.stop();
      await dispatcher.stop();
      await consumer.stop();
      await ingest.close();
      await ingestSql.end();
      await probe.stop();
      await deadlines.stop();
      await maintenanceEnds.stop();
      await alerting.stop();
      await delivery.stop();
      await exports.stop();
      await domainClaims.stop();
      await lifecycle.stop();
      await lease.release();
      // QUIT, not a disconnect: a queue's start-up commands still in flight on the shared connection
      // would fail after BullMQ has dropped its error listeners, and crash the process on its way out.
      await closeRedis(connection);
    },
  };
}
