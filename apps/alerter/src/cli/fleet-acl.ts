import { randomBytes } from "node:crypto";
import { baseEnv, loadEnvOrExit, optional, regionList } from "@upfleet/config";
import { aclSetUser, deploymentRoles, type RedisRole, redisUserName } from "@upfleet/queue";
import { z } from "zod";

/**
 * `pnpm fleet:acl`: prints one `ACL SETUSER` line per role of the deployment (README, "Redis
 * identities"), ready for `redis-cli`. A role's password comes from its variable, or is generated and
 * shown once on stderr, so stdout holds only password hashes.
 */
const passwordVariable = (who: RedisRole) =>
  who.role === "worker"
    ? `REDIS_PASSWORD_WORKER_${who.region.toUpperCase().replaceAll("-", "_")}`
    : `REDIS_PASSWORD_${who.role.toUpperCase()}`;

const env = loadEnvOrExit(z.object({ REDIS_PREFIX: baseEnv.REDIS_PREFIX, REGIONS: regionList("local") }));
const roles = deploymentRoles(env.REGIONS);
const passwords = loadEnvOrExit(
  z.object(
    Object.fromEntries(
      roles.map((who) => [passwordVariable(who), optional(z.string().min(16, "must be at least 16 characters"))]),
    ),
  ),
);

for (const who of roles) {
  const given = passwords[passwordVariable(who)] as string | undefined;
  const password = given ?? randomBytes(24).toString("base64url");
  process.stdout.write(`${aclSetUser(env.REDIS_PREFIX, who, password)}\n`);
  if (!given) {
    const user = redisUserName(env.REDIS_PREFIX, who);
    process.stderr.write(
      `${user}: generated password ${password} (shown once; REDIS_URL=redis://${user}:${password}@<host>:6379)\n`,
    );
  }
}
