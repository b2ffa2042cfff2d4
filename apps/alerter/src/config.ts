import { baseEnv, databaseEnv, optional, parsedWith, port, positiveInt, regionList } from "@upfleet/config";
import { deliveryEnv } from "@upfleet/delivery";
import { exportsEnv } from "@upfleet/exports";
import { retentionEnv } from "@upfleet/lifecycle";
import { outboundEnv } from "@upfleet/outbound";
import { checkRedisTls, redisTlsEnv } from "@upfleet/queue";
import { checkRedisTopology, redisTopologyEnv } from "@upfleet/queue/redis";
import { requireEncryptionKey, secretsEnv } from "@upfleet/secrets";
import { parseDnsServers } from "@upfleet/status-pages";
import cron from "node-cron";
import { z } from "zod";

/** Predictable so operators can scrape it (workers take the ports above it). */
export const ALERTER_HEALTH_PORT = 3100;

export const AlerterEnv = z
  .object({
    ...baseEnv,
    ...redisTlsEnv,
    ...redisTopologyEnv,
    ...databaseEnv,
    HEALTH_PORT: port(ALERTER_HEALTH_PORT),
    /** The deployment's regions: the alerter reports each region's queue depth. */
    REGIONS: regionList("local"),
    /** Where the API answers: notifications link to incidents and monitors there. */
    PUBLIC_URL: optional(z.url({ protocol: /^https?$/, message: "must be an http(s) URL" })).transform(
      (url) => url ?? "http://localhost:3000",
    ),
    /** Notification receivers and custom domains are outbound targets. */
    ...outboundEnv,
    /** `ip[:port]` resolvers custom domain TXT records are looked up through; empty: the system's. */
    CHECK_DNS_RESOLVERS: parsedWith(parseDnsServers, ""),
    /** How often unverified custom domain claims are looked up again (the lease holder only). */
    DOMAIN_VERIFY_INTERVAL_MS: positiveInt(300_000),
    ...deliveryEnv,
    /**
     * How often notifications whose job was lost (a crash between commit and enqueue) are looked for
     * unwoken; the work probe's 30 s sweep wakes the sweeper while any is pending. Tests shorten it.
     */
    NOTIFICATION_SWEEP_INTERVAL_MS: positiveInt(300_000),
    ...exportsEnv,
    ...retentionEnv,
    /** When the lease holder runs retention and makes partitions ahead (cron, 5 or 6 fields): hourly at :17. */
    RETENTION_SCHEDULE: z
      .string()
      .default("17 * * * *")
      .refine((expression) => cron.validate(expression), "must be a cron expression (e.g. 17 * * * *)"),
    /** Opens channel secrets to send and monitor credentials for the workers' specs (never given to a worker). */
    ...secretsEnv,
  })
  .superRefine(requireEncryptionKey)
  .superRefine(checkRedisTls)
  .superRefine(checkRedisTopology);

export type AlerterConfig = z.output<typeof AlerterEnv>;
