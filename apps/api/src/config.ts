import {
  baseEnv,
  booleanFlag,
  databaseEnv,
  jsonEnv,
  optional,
  parsedWith,
  port,
  positiveInt,
  regionList,
} from "@upfleet/config";
import { deliveryEnv } from "@upfleet/delivery";
import { retentionEnv } from "@upfleet/lifecycle";
import { outboundEnv } from "@upfleet/outbound";
import { checkRedisTls, redisTlsEnv } from "@upfleet/queue";
import { checkRedisTopology, redisTopologyEnv } from "@upfleet/queue/redis";
import { requireEncryptionKey, secretsEnv } from "@upfleet/secrets";
import { parseDnsServers } from "@upfleet/status-pages";
import { z } from "zod";
import { parseTrustProxy } from "./http/trust-proxy.ts";
import { PlanLimitsEnv } from "./plans.ts";

export const ApiEnv = z
  .object({
    ...baseEnv,
    ...redisTlsEnv,
    ...redisTopologyEnv,
    ...databaseEnv,
    PORT: port(3000),
    PUBLIC_URL: optional(z.url({ protocol: /^https?$/, message: "must be an http(s) URL" })),
    APP_SECRET: optional(z.string().min(32, "must be at least 32 characters")),
    /** Encrypts credentials at rest: `kid:<base64 of 32 bytes>[,older…]`, the first key encrypting. */
    ...secretsEnv,
    REGIONS: regionList("local"),
    OPEN_SIGNUP: booleanFlag(false),
    /** Off in the images: a deployment migrates once, with the migrate job (`node dist/migrate.js`), not in every replica. */
    MIGRATE_ON_START: booleanFlag(true),
    MIN_INTERVAL_SECONDS: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z.coerce.number().int().min(1).max(86_400).default(10),
    ),
    /** Checked when monitor targets, channel URLs and custom domains are written, and for test sends. */
    ...outboundEnv,
    ...retentionEnv,
    /** `ip[:port]` resolvers custom domain TXT records are looked up through; empty: the system's. */
    CHECK_DNS_RESOLVERS: parsedWith(parseDnsServers, ""),
    /** Email channels' transport and sender, for test sends (the alerter sends the rest). */
    SMTP_URL: deliveryEnv.SMTP_URL,
    SMTP_FROM: deliveryEnv.SMTP_FROM,
    /** The default plan's limits; organizations on other plans get theirs from RATE_LIMIT_PLANS. */
    RATE_LIMIT_PER_MINUTE: positiveInt(60),
    RATE_LIMIT_PER_HOUR: positiveInt(1000),
    /** Sign-up and login attempts per client IP (each costs an Argon2 hash). */
    AUTH_RATE_LIMIT_PER_MINUTE: positiveInt(20),
    AUTH_RATE_LIMIT_PER_HOUR: positiveInt(300),
    /**
     * Failed authentications (API keys, passwords) per client IP (IPv6: per /64) and per key prefix
     * within AUTH_FAILURE_WINDOW_SECONDS; past them, 429 before any Argon2 work. Per email: after
     * AUTH_FAILURES_PER_EMAIL failures, a lock-out of 30 s that doubles with each further one (≤ 1 h).
     */
    AUTH_FAILURES_PER_IP: positiveInt(30),
    AUTH_FAILURES_PER_KEY_PREFIX: positiveInt(10),
    AUTH_FAILURES_PER_EMAIL: positiveInt(5),
    AUTH_FAILURE_WINDOW_SECONDS: positiveInt(900),
    /**
     * API.md: /metrics is never open on the public port. METRICS_PORT serves it (with /healthz and
     * /readyz) on a port of its own; METRICS_TOKEN opens it on the public port to `Bearer <token>`.
     */
    METRICS_PORT: optional(port(0)),
    /** Proxies in front of the API whose X-Forwarded-For names the client (http/trust-proxy.ts). */
    TRUST_PROXY: parsedWith(parseTrustProxy, ""),
    METRICS_TOKEN: optional(z.string().min(16, "must be at least 16 characters")),
    /** The deployment's operators: only they read /regions and /workers (others get 404). */
    FLEET_ADMIN_EMAILS: parsedWith(
      (text) =>
        new Set(
          text
            .split(",")
            .map((email) => email.trim().toLowerCase())
            .filter(Boolean),
        ),
      "",
    ),
    /** Public status pages (HTML, JSON, custom domains), badges and export download links per client IP (IPv6: per /64). */
    PUBLIC_RATE_LIMIT_PER_MINUTE: positiveInt(300),
    /** Heartbeat pings per monitor token, and per client IP whatever the token (never an API key's budget). */
    HEARTBEAT_RATE_LIMIT_PER_MINUTE: positiveInt(60),
    HEARTBEAT_IP_RATE_LIMIT_PER_MINUTE: positiveInt(600),
    /** JSON: {"team": {"per_minute": 600, "per_hour": 20000}}. */
    RATE_LIMIT_PLANS: jsonEnv(PlanLimitsEnv, "{}"),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && !env.APP_SECRET) {
      ctx.addIssue({ code: "custom", path: ["APP_SECRET"], message: "is required when NODE_ENV=production" });
    }
    requireEncryptionKey(env, ctx);
  })
  .superRefine(checkRedisTls)
  .superRefine(checkRedisTopology)
  .transform((env) => ({ ...env, PUBLIC_URL: env.PUBLIC_URL ?? `http://localhost:${env.PORT}` }));

export type ApiConfig = z.output<typeof ApiEnv>;
