import { createSessionTokens } from "@upfleet/accounts";
import { createDb, createSqlPool } from "@upfleet/db";
import { sendersFromEnv } from "@upfleet/delivery";
import { createDownloadLinks } from "@upfleet/exports";
import { PingRecorder, TokenDirectory } from "@upfleet/heartbeats";
import { retentionPolicy } from "@upfleet/lifecycle";
import type { Logger } from "@upfleet/logger";
import { ScheduleSync } from "@upfleet/monitors";
import { internalNamesOf } from "@upfleet/outbound";
import { bullPrefix, CheckStream, FleetRegistry, openQueue, ScheduleStore } from "@upfleet/queue";
import { connectRedis, type RedisConnection } from "@upfleet/queue/redis";
import { closeRedis, createMetricsRegistry } from "@upfleet/runtime";
import { resolveAppSecret, resolveKeyring } from "@upfleet/secrets";
import { createTxtLookup } from "@upfleet/status-pages";
import { Authenticator } from "./auth/authenticator.ts";
import { FailedAuthLimiter } from "./auth/failed-auth.ts";
import { LIMIT_COMMAND_TIMEOUT_MS, RateLimiter } from "./auth/rate-limiter.ts";
import { SessionRevocations } from "./auth/session-revocations.ts";
import type { ApiConfig } from "./config.ts";
import type { ApiDeps } from "./deps.ts";
import { planLimitsResolver } from "./plans.ts";

const API_VERSION = "0.1.0";

/**
 * Without an offline queue every command fails until the first connection is up, so a request
 * (or /readyz) in the first milliseconds would get a 503 from a healthy Redis. Waits for that first
 * attempt to settle either way: with Redis down the API still starts, and /readyz says why.
 */
function firstConnection(redis: RedisConnection): Promise<void> {
  return new Promise((resolve) => {
    const settle = () => {
      redis.off("ready", settle);
      redis.off("error", settle);
      resolve();
    };
    redis.once("ready", settle);
    redis.once("error", settle);
  });
}

/** Connects what the API needs; `close` releases it all (after the HTTP server has stopped). */
export async function createApiDeps(
  config: ApiConfig,
  logger: Logger,
): Promise<{ deps: ApiDeps; close(): Promise<void> }> {
  const db = createDb(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE });
  // Fail fast while Redis is down (a 503 now beats a request hanging in an offline queue).
  const redis = connectRedis(config, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
  });
  const subscriber = connectRedis(config, { maxRetriesPerRequest: null });
  // Rate-limit counts, one EVAL per request: the commands of one tick go out in one write (a
  // syscall per command is what costs most at thousands of heartbeat pings per second). A Redis that
  // stops answering on an open connection (a partition) times them out, and the limiter counts in-process.
  const limits = connectRedis(config, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    commandTimeout: LIMIT_COMMAND_TIMEOUT_MS,
  });
  let lastRedisWarning = 0;
  const warnRedis = (error: Error) => {
    if (Date.now() - lastRedisWarning < 10_000) return;
    lastRedisWarning = Date.now();
    logger.warn({ err: error }, "redis connection problem");
  };
  redis.on("error", warnRedis);
  subscriber.on("error", warnRedis);
  limits.on("error", warnRedis);
  await Promise.all([firstConnection(redis), firstConnection(limits)]);

  const appSecret = await resolveAppSecret(db, config.APP_SECRET);
  const keyring = await resolveKeyring(db, config.ENCRYPTION_KEY);
  const tokens = createSessionTokens(appSecret);
  const failedAuth = new FailedAuthLimiter(limits, config.REDIS_PREFIX, {
    perIp: config.AUTH_FAILURES_PER_IP,
    perKeyPrefix: config.AUTH_FAILURES_PER_KEY_PREFIX,
    perEmail: config.AUTH_FAILURES_PER_EMAIL,
    windowMs: config.AUTH_FAILURE_WINDOW_SECONDS * 1000,
  });
  const authenticator = new Authenticator({
    db,
    tokens,
    publisher: redis,
    subscriber,
    redisPrefix: config.REDIS_PREFIX,
    logger,
    revocations: new SessionRevocations(redis, config.REDIS_PREFIX),
    failures: failedAuth,
  });
  authenticator.start();
  const metrics = createMetricsRegistry("api");
  // Ping batches bypass Prisma (packages/db sql.ts says why), on a small pool of their own.
  const pingSql = createSqlPool(config.DATABASE_URL, { max: 4 });
  const recorder = new PingRecorder({ sql: pingSql, logger, metrics });
  const exportQueue = openQueue("export", { connection: redis, prefix: bullPrefix(config.REDIS_PREFIX) });
  // A queue re-emits its connection's errors; unheard, one while Redis is down would be thrown.
  exportQueue.bull.on("error", warnRedis);
  const internalNames = internalNamesOf(config);
  const deps: ApiDeps = {
    config,
    db,
    redis,
    logger,
    metrics,
    tokens,
    authenticator,
    keyring,
    failedAuth,
    rateLimiter: new RateLimiter(limits, config.REDIS_PREFIX),
    planLimits: planLimitsResolver(
      { perMinute: config.RATE_LIMIT_PER_MINUTE, perHour: config.RATE_LIMIT_PER_HOUR },
      config.RATE_LIMIT_PLANS,
    ),
    retention: retentionPolicy(config),
    fleet: {
      registry: new FleetRegistry(redis, config.REDIS_PREFIX),
      checks: new CheckStream(redis, config.REDIS_PREFIX),
    },
    monitors: {
      db,
      schedule: new ScheduleSync(new ScheduleStore(redis, config.REDIS_PREFIX), keyring, (error, monitorId) =>
        logger.warn({ err: error, monitorId }, "schedule not updated in Redis; the reconciler will repair it"),
      ),
      policy: { regions: config.REGIONS, minIntervalSeconds: config.MIN_INTERVAL_SECONDS },
      publicUrl: config.PUBLIC_URL,
      keyring,
    },
    heartbeats: { tokens: new TokenDirectory(db), recorder },
    exports: { queue: exportQueue, links: createDownloadLinks(appSecret) },
    senders: sendersFromEnv(config, keyring),
    domains: {
      lookup: createTxtLookup(config.CHECK_DNS_RESOLVERS),
      isInternal: internalNames.isInternal,
    },
    internalNames,
    version: API_VERSION,
  };
  return {
    deps,
    close: async () => {
      await authenticator.stop();
      // Pings already received are written before the database goes.
      await recorder.close();
      await pingSql.end();
      await exportQueue.close();
      deps.senders.close();
      await Promise.all([subscriber, limits, redis].map(closeRedis));
      await db.$disconnect();
    },
  };
}
