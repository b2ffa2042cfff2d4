import { createHash } from "node:crypto";
import { CHECK_LANES } from "./lanes.ts";
import { bullPrefix, checksStreamKey, EXPORTS_QUEUE, resultsStreamKey } from "./names.ts";

/**
 * What a regional worker runs on keys of the fleet registry (MULTI/EXEC around SET, ZADD, DEL and ZREM)
 * and keyless: ioredis's ready check (INFO), connection names (CLIENT SETNAME), the readiness probe
 * (PING), SELECT for a URL with a database, QUIT; and on a Redis Cluster, CLUSTER SLOTS and CLUSTER INFO,
 * which ioredis reads to learn which node holds which keys and whether the cluster is up.
 */
// biome-ignore format: one list, read as a list.
const WORKER_COMMANDS = [
  "set", "zadd", "del", "zrem", "multi", "exec",
  "info", "client|setname", "ping", "select", "quit", "cluster|slots", "cluster|info",
] as const;

/**
 * A worker's commands on its region's checks streams (the general one and the ping checks', docs/adr/0014;
 * a worker reads the second only when it can send ICMP, but the region's user may): read as the group (creating it
 * after a flush), acknowledge and delete what it ran, claim a dead worker's entries and read their
 * delivery counts; and the group's lag (XINFO GROUPS), which KEDA reads as the region's worker user.
 */
// biome-ignore format: one list, read as a list.
const CHECKS_STREAM_COMMANDS = [
  "xreadgroup", "xack", "xdel", "xautoclaim", "xpending", "xgroup|create", "xinfo|groups",
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
 * - A worker reaches the fleet registry, with the commands its report needs, and, in selectors of
 *   their own, its region's checks streams with the consumer-group commands only (docs/adr/0014) and
 *   its region's results stream with XADD only, write-only (`%W~`): it cannot read, change or delete
 *   results already published (docs/adr/0012), nor add checks. No other region's streams, no
 *   schedule store, lease, rate limits, sessions or API keys' failure counts, no BullMQ queue, no pub/sub.
 * - The API reaches what it writes (schedule store, rate limits, failed authentications, session
 *   revocations, download slots, exports queue) and reads (checks streams and the fleet for /regions),
 *   and its revocation channel; never the scheduler lease.
 * - The alerter is the control plane: every key of the deployment, no channels.
 * API and alerter get every command but the dangerous ones (FLUSHALL, KEYS, CONFIG, ACL, DEBUG…) and
 * INFO, which ioredis's ready check needs.
 */
export function aclRules(redisPrefix: string, who: RedisRole): string {
  const bull = bullPrefix(redisPrefix);
  if (who.role === "worker") {
    const commands = WORKER_COMMANDS.map((command) => `+${command}`);
    const checkCommands = CHECKS_STREAM_COMMANDS.map((command) => `+${command}`).join(" ");
    const streams = CHECK_LANES.map((lane) => `~${checksStreamKey(redisPrefix, who.region, lane)}`).join(" ");
    const checks = `(${streams} ${checkCommands})`;
    const results = `(%W~${resultsStreamKey(redisPrefix, who.region)} +xadd)`;
    return [`~${redisPrefix}:fleet:*`, "resetchannels", ...commands, checks, results].join(" ");
  }
  const everyCommand = ["+@all", "-@dangerous", "+info"];
  if (who.role === "alerter") return [`~${redisPrefix}:*`, "resetchannels", ...everyCommand].join(" ");
  const keys = [
    ...["sched", "fleet", "checks", "rl", "authfail", "session", "export-download"].map(
      (space) => `${redisPrefix}:${space}:*`,
    ),
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
