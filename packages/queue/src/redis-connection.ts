import { Cluster, type ClusterOptions, Redis, type RedisOptions } from "ioredis";
import { z } from "zod";
import { redisOptions } from "./redis-tls.ts";

/** A connection to a standalone (or Sentinel-managed) Redis, or to a Redis Cluster. */
export type RedisConnection = Redis | Cluster;

interface Node {
  host: string;
  port: number;
}

/** `host:port` (IPv6 in brackets), comma-separated; empty: none. */
const nodeList = z
  .preprocess((value) => (value === "" ? undefined : value), z.string().optional())
  .transform((value, ctx): Node[] => {
    const nodes: Node[] = [];
    for (const item of (value ?? "").split(",").map((s) => s.trim())) {
      if (item === "") continue;
      const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(item);
      const port = Number(match?.[2]);
      if (!match || port < 1 || port > 65535) {
        ctx.addIssue({ code: "custom", message: `${item}: not host:port` });
        return z.NEVER;
      }
      nodes.push({ host: match[1]!.replace(/^\[|\]$/g, ""), port });
    }
    return nodes;
  });

/**
 * Where Redis is besides REDIS_URL. With REDIS_CLUSTER_NODES the processes connect to a Redis Cluster
 * through those seed nodes; with REDIS_SENTINELS they ask the sentinels for the master named
 * REDIS_SENTINEL_NAME. Either way REDIS_URL still gives the scheme (`rediss:` for TLS), the user and
 * the password, and its host is not used.
 */
export const redisTopologyEnv = {
  REDIS_CLUSTER_NODES: nodeList,
  REDIS_SENTINELS: nodeList,
  REDIS_SENTINEL_NAME: z.preprocess((value) => (value === "" ? undefined : value), z.string().max(128).optional()),
};

interface RedisConnectionConfig {
  REDIS_URL: string;
  REDIS_PREFIX: string;
  REDIS_CLUSTER_NODES: Node[];
  REDIS_SENTINELS: Node[];
  REDIS_SENTINEL_NAME?: string | undefined;
  REDIS_TLS_CA?: string | undefined;
  REDIS_TLS_CERT?: string | undefined;
  REDIS_TLS_KEY?: string | undefined;
}

/**
 * For a config's `superRefine`: one topology at a time, a master name with sentinels, and on a cluster
 * a hash-tagged prefix (every multi-key script and BullMQ's need their keys in one slot) and database 0.
 */
export function checkRedisTopology(env: RedisConnectionConfig, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  const cluster = env.REDIS_CLUSTER_NODES.length > 0;
  const sentinel = env.REDIS_SENTINELS.length > 0;
  if (cluster && sentinel) issue("REDIS_SENTINELS", "cannot be used with REDIS_CLUSTER_NODES");
  if (sentinel !== (env.REDIS_SENTINEL_NAME !== undefined)) {
    issue(sentinel ? "REDIS_SENTINEL_NAME" : "REDIS_SENTINELS", "REDIS_SENTINELS and REDIS_SENTINEL_NAME go together");
  }
  if (!cluster) return;
  if (!/\{[^}]+\}/.test(env.REDIS_PREFIX)) {
    issue("REDIS_PREFIX", "must carry a hash tag, e.g. {upf}, on a Redis Cluster (REDIS_CLUSTER_NODES)");
  }
  if (!["", "/", "/0"].includes(new URL(env.REDIS_URL).pathname)) {
    issue("REDIS_URL", "a Redis Cluster has database 0 only: drop the /<db> path");
  }
}

/** Options a cluster takes for itself rather than for each node's connection. */
type ClusterLevel = Pick<ClusterOptions, "enableOfflineQueue" | "enableAutoPipelining">;

function splitClusterOptions(options: RedisOptions): { cluster: ClusterLevel; node: RedisOptions } {
  const { enableOfflineQueue, enableAutoPipelining, ...node } = options;
  const cluster: ClusterLevel = {};
  if (enableOfflineQueue !== undefined) cluster.enableOfflineQueue = enableOfflineQueue;
  if (enableAutoPipelining !== undefined) cluster.enableAutoPipelining = enableAutoPipelining;
  return { cluster, node };
}

/**
 * Opens a connection as the configuration says: standalone by REDIS_URL, a Redis Cluster through its
 * seed nodes, or the master the sentinels name. `options` (timeouts, offline queue…) apply to each
 * node's connection; TLS and credentials come from the configuration.
 */
export function connectRedis(env: RedisConnectionConfig, options: RedisOptions = {}): RedisConnection {
  const tls = redisOptions(env);
  if (env.REDIS_CLUSTER_NODES.length === 0 && env.REDIS_SENTINELS.length === 0) {
    return new Redis(env.REDIS_URL, { ...tls, ...options });
  }
  const url = new URL(env.REDIS_URL);
  const auth = {
    ...(url.username && { username: decodeURIComponent(url.username) }),
    ...(url.password && { password: decodeURIComponent(url.password) }),
  };
  if (env.REDIS_SENTINELS.length > 0) {
    const db = Number(url.pathname.slice(1) || 0);
    return new Redis({
      sentinels: env.REDIS_SENTINELS,
      name: env.REDIS_SENTINEL_NAME!,
      db,
      ...auth,
      ...tls,
      ...(tls.tls && { enableTLSForSentinelMode: true, sentinelTLS: tls.tls }),
      ...options,
    });
  }
  const { cluster, node } = splitClusterOptions(options);
  return new Cluster(env.REDIS_CLUSTER_NODES, { ...cluster, redisOptions: { ...auth, ...tls, ...node } });
}

/**
 * A second connection like `redis` with `options` on top (a Cluster takes them under `redisOptions`,
 * and replaces rather than merges what it is given there).
 */
export function duplicateRedis(redis: RedisConnection, options: RedisOptions): RedisConnection {
  if (!(redis instanceof Cluster)) return redis.duplicate(options);
  const { cluster, node } = splitClusterOptions(options);
  return redis.duplicate([], { ...cluster, redisOptions: { ...redis.options.redisOptions, ...node } });
}
