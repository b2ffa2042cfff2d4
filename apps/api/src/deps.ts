import type { SessionTokens } from "@upfleet/accounts";
import type { Db } from "@upfleet/db";
import type { Senders } from "@upfleet/delivery";
import type { DownloadLinks } from "@upfleet/exports";
import type { PingRecorder, TokenDirectory } from "@upfleet/heartbeats";
import type { RetentionPolicy } from "@upfleet/lifecycle";
import type { Logger } from "@upfleet/logger";
import type { MonitorDeps } from "@upfleet/monitors";
import type { InternalNames } from "@upfleet/outbound";
import type { CheckStream, FleetRegistry, JobQueue } from "@upfleet/queue";
import type { RedisConnection } from "@upfleet/queue/redis";
import type { Keyring } from "@upfleet/secrets";
import type { DomainRules } from "@upfleet/status-pages";
import type { Registry } from "prom-client";
import type { Authenticator } from "./auth/authenticator.ts";
import type { FailedAuthLimiter } from "./auth/failed-auth.ts";
import type { RateLimiter, RateLimits } from "./auth/rate-limiter.ts";
import type { ApiConfig } from "./config.ts";

/** Everything a route may use, built once at start-up (see main.ts / createApiDeps). */
export interface ApiDeps {
  config: ApiConfig;
  db: Db;
  redis: RedisConnection;
  logger: Logger;
  metrics: Registry;
  tokens: SessionTokens;
  authenticator: Authenticator;
  /** ENCRYPTION_KEY (or the generated development key): seals channel secrets when written. */
  keyring: Keyring;
  /** Failed logins and key checks per client IP, email and key prefix (429 before any Argon2). */
  failedAuth: FailedAuthLimiter;
  rateLimiter: RateLimiter;
  planLimits(plan: string): RateLimits;
  /** RETENTION_*: how far back each plan's raw check history reaches. */
  retention: RetentionPolicy;
  /** The fleet as workers report it in Redis, and the regions' checks streams. */
  fleet: { registry: FleetRegistry; checks: Pick<CheckStream, "backlog"> };
  /** The monitors service's dependencies (database, schedule sync, deployment policy). */
  monitors: MonitorDeps;
  /** Notification senders, for test sends (guarded by OUTBOUND_ALLOW_CIDRS, email over SMTP_URL). */
  senders: Senders;
  /** Heartbeat pings: token → monitor from memory, and the group commit that writes them. */
  heartbeats: { tokens: TokenDirectory; recorder: PingRecorder };
  /** Exports: the queue their builds go to (the alerter builds them) and the download links' signer. */
  exports: { queue: JobQueue<"export">; links: DownloadLinks };
  /** Custom domain claims: the TXT lookup (CHECK_DNS_RESOLVERS) and which names are internal. */
  domains: DomainRules;
  /** INTERNAL_DNS_SUFFIXES / INTERNAL_DNS_ALLOW_SUFFIXES, built once: refused in monitor targets and channel URLs. */
  internalNames: InternalNames;
  version: string;
}
