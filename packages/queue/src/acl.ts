import { createHash } from "node:crypto";
import { bullPrefix, checksQueueName, EXPORTS_QUEUE, resultsStreamKey } from "./names.ts";

/**
 * Every command BullMQ's Lua scripts call (`commands/*.lua` of bullmq 5.81, literal and computed:
 * acl.test.ts reads the installed scripts and fails if one is missing). Redis checks each command
 * and key a script touches against the caller's ACL, so a worker needs these as well as EVALSHA.
 */
// biome-ignore format: one list, read as a list.
export const BULLMQ_SCRIPT_COMMANDS = [
  "del", "exists", "get", "hdel", "hexists", "hget", "hgetall", "hincrby", "hlen", "hmget", "hmset", "hscan",
  "hset", "incr", "lindex", "llen", "lpop", "lpos", "lpush", "lrange", "lrem", "lset", "ltrim", "persist",
  "pexpire", "pttl", "rename", "rpop", "rpoplpush", "rpush", "sadd", "scard", "sismember", "smembers", "srem",
  "sscan", "set", "type", "xadd", "xtrim", "zadd", "zcard", "zcount", "zpopmin", "zrange", "zrangebyscore",
  "zrem", "zremrangebyrank", "zremrangebyscore", "zrevrange", "zrevrangebyscore", "zscore",
] as const;

/**
 * What a regional worker runs outside scripts: EVALSHA (EVAL when a script is not loaded yet), BZPOPMIN
 * to wait for jobs, HSET of a queue's meta; ioredis's ready check (INFO) and connection names (CLIENT
 * SETNAME, BullMQ names its connections), the readiness probe (PING), SELECT for a URL with a
 * database, QUIT; the fleet registry's MULTI/EXEC around SET, ZADD, DEL and ZREM (among the above); and
 * on a Redis Cluster, CLUSTER SLOTS and CLUSTER INFO, which ioredis reads to learn which node holds which
 * keys and whether the cluster is up (its ready check there).
 */
// biome-ignore format: one list, read as a list.
const WORKER_COMMANDS = [
  ...BULLMQ_SCRIPT_COMMANDS,
  "evalsha", "eval", "bzpopmin", "info", "client|setname", "ping", "select", "quit", "multi", "exec",
  "cluster|slots", "cluster|info",
] as const;

export type RedisRole = { role: "api" } | { role: "alerter" } | { role: "worker"; region: string };

/**
 * The Redis user name of a role in a deployment: the prefix keeps deployments sharing a server apart.
 * A hash tag's braces are left out (`{upf}` gives `upf-api`), so the name goes into a URL as it is.
 */
export function redisUserName(redisPrefix: string, who: RedisRole): string {
  const deployment = redisPrefix.replace(/[{}]/g, "");
  return who.role === "worker" ? `${deployment}-worker-${who.region}` : `${deployment}-${who.role}`;
}

/**
 * The ACL rules of a role (keys, channels, commands), without its password. REDIS_PREFIX and region
 * names cannot hold glob characters (their schemas), so each pattern matches exactly what it names.
 *
 * - A worker reaches its region's check queue and the fleet registry, with the commands BullMQ needs
 *   and no others: no other region's queue, schedule store, lease, rate limits, sessions or API keys'
 *   failure counts, no pub/sub. A selector of its own lets it XADD to its region's results stream and
 *   do nothing else there (write-only, `%W~`): it cannot read, change or delete results already
 *   published, and no other region's stream is open to it (docs/adr/0012).
 * - The API reaches what it writes (schedule store, rate limits, failed authentications, session
 *   revocations, download slots, exports queue) and reads (check queues and the fleet for /regions),
 *   and its revocation channel; never the scheduler lease.
 * - The alerter is the control plane: every key of the deployment, no channels.
 * API and alerter get every command but the dangerous ones (FLUSHALL, KEYS, CONFIG, ACL, DEBUG…) and
 * INFO, which ioredis's ready check needs.
 */
export function aclRules(redisPrefix: string, who: RedisRole): string {
  const bull = bullPrefix(redisPrefix);
  if (who.role === "worker") {
    const keys = [`${bull}:${checksQueueName(who.region)}:*`, `${redisPrefix}:fleet:*`];
    const commands = WORKER_COMMANDS.map((command) => `+${command}`);
    const results = `(%W~${resultsStreamKey(redisPrefix, who.region)} +xadd)`;
    return [...keys.map((k) => `~${k}`), "resetchannels", ...commands, results].join(" ");
  }
  const everyCommand = ["+@all", "-@dangerous", "+info"];
  if (who.role === "alerter") return [`~${redisPrefix}:*`, "resetchannels", ...everyCommand].join(" ");
  const keys = [
    ...["sched", "fleet", "rl", "authfail", "session", "export-download"].map((space) => `${redisPrefix}:${space}:*`),
    `${bull}:${checksQueueName("*")}:*`,
    `${bull}:${EXPORTS_QUEUE}:*`,
  ];
  return [...keys.map((k) => `~${k}`), `&${redisPrefix}:auth:invalidate`, ...everyCommand].join(" ");
}

/** `ACL SETUSER` for a role: the user is reset first, so running it again replaces its rules and password. */
export function aclSetUser(redisPrefix: string, who: RedisRole, password: string): string {
  const hash = createHash("sha256").update(password).digest("hex");
  return `ACL SETUSER ${redisUserName(redisPrefix, who)} reset on #${hash} ${aclRules(redisPrefix, who)}`;
}

/** Every role of a deployment: the API, the alerter and one worker user per region. */
export function deploymentRoles(regions: readonly string[]): RedisRole[] {
  return [{ role: "api" }, { role: "alerter" }, ...regions.map((region) => ({ role: "worker" as const, region }))];
}
