import { parseResolverList } from "@upfleet/checks/contracts";
import { baseEnv, booleanFlag, optional, parsedWith, port, positiveInt, regionName } from "@upfleet/config";
import { outboundEnv } from "@upfleet/outbound";
import { checkRedisTls, redisTlsEnv } from "@upfleet/queue";
import { checkRedisTopology, redisTopologyEnv } from "@upfleet/queue/redis";
import { z } from "zod";

/** Predictable so operators can scrape it; `pnpm start` gives each worker the next port up. */
export const WORKER_HEALTH_PORT = 3101;

/**
 * A worker's whole configuration. There is deliberately no DATABASE_URL: workers run in untrusted
 * regions and talk to Redis only, so database credentials never reach them.
 */
export const WorkerEnv = z
  .object({
    NODE_ENV: baseEnv.NODE_ENV,
    REDIS_URL: baseEnv.REDIS_URL,
    REDIS_PREFIX: baseEnv.REDIS_PREFIX,
    ...redisTlsEnv,
    ...redisTopologyEnv,
    LOG_LEVEL: baseEnv.LOG_LEVEL,
    HEALTH_PORT: port(WORKER_HEALTH_PORT),
    REGION: optional(regionName).transform((region) => region ?? "local"),
    CONCURRENCY: positiveInt(50).pipe(z.number().max(1000, "must be at most 1000")),
    ...outboundEnv,
    /** `ip[:port]` resolvers every check resolves names through instead of the system's; empty: the system's. */
    CHECK_DNS_RESOLVERS: parsedWith(parseResolverList, ""),
    /**
     * false: this worker takes no ping checks, even if the machine can send ICMP (an operator who wants
     * no ping from a host). true: it takes them if a probe at start finds it can.
     */
    PING_CHECKS: booleanFlag(true),
  })
  .superRefine(checkRedisTls)
  .superRefine(checkRedisTopology);

export type WorkerConfig = z.output<typeof WorkerEnv>;
