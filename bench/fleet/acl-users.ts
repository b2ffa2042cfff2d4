/**
 * `pnpm bench:fleet --acl` (issue #14): the deployment's Redis users, made on the run's own redis-server
 * from the lines `pnpm fleet:acl` prints (the command itself runs, so the bench measures exactly what an
 * operator applies), and the REDIS_URL each role then connects with.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { redisCli } from "./own-redis.ts";

const FLEET_ACL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../apps/alerter/src/cli/fleet-acl.ts");

export interface RoleUrls {
  api: string;
  alerter: string;
  /** The one region's workers. */
  worker: string;
}

export async function createAclUsers(redisUrl: string, redisPrefix: string, region: string): Promise<RoleUrls> {
  const passwords = { api: secret(), alerter: secret(), worker: secret() };
  const { stdout } = await promisify(execFile)(process.execPath, [...process.execArgv, FLEET_ACL], {
    env: {
      ...process.env,
      REDIS_PREFIX: redisPrefix,
      REGIONS: region,
      REDIS_PASSWORD_API: passwords.api,
      REDIS_PASSWORD_ALERTER: passwords.alerter,
      [`REDIS_PASSWORD_WORKER_${region.toUpperCase().replaceAll("-", "_")}`]: passwords.worker,
    },
  });
  const users: Partial<Record<keyof RoleUrls, string>> = {};
  for (const line of stdout.trim().split("\n")) {
    // `ACL SETUSER <name> reset on #<hash> <rules…>`: no rule holds a space (prefixes and regions cannot).
    const words = line.trim().split(/\s+/);
    const name = words[2]!;
    const role = name.endsWith("-api") ? "api" : name.endsWith("-alerter") ? "alerter" : "worker";
    const answer = (await redisCli(redisUrl, ...words)).trim();
    if (answer !== "OK") throw new Error(`${words.slice(0, 3).join(" ")}: ${answer}`);
    users[role] = name;
  }
  const urlOf = (role: keyof RoleUrls) => {
    const url = new URL(redisUrl);
    url.username = users[role] ?? "";
    url.password = passwords[role];
    if (!url.username) throw new Error(`pnpm fleet:acl printed no ${role} user:\n${stdout}`);
    return url.toString();
  };
  return { api: urlOf("api"), alerter: urlOf("alerter"), worker: urlOf("worker") };
}

const secret = () => randomBytes(24).toString("hex");
