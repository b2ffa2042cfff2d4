import { randomBytes } from "node:crypto";
import {
  aclSetUser,
  bullPrefix,
  CHECKS_GROUP,
  CheckStream,
  checksStreamKey,
  type RedisRole,
  redisUserName,
  resultsStreamKey,
} from "@upfleet/queue";
import { startApp, waitFor } from "@upfleet/testing";
import { Redis } from "ioredis";
import { describe, it } from "vitest";
import { apiApp, type Sandbox, startSandbox } from "./support.ts";

/**
 * The Redis identities `pnpm fleet:acl` prints (issue #14 point 1), created on the shared Redis under
 * the test's own prefix (so its user names are unique) and deleted after it.
 */
interface Identities {
  /** `REDIS_URL` for a role, with its user and password. */
  url(who: RedisRole): string;
  /** A connection as that role (closed after the test). */
  connect(who: RedisRole): Redis;
  /** Entries of `ACL LOG` for the test's users: every command Redis refused them. */
  refusals(): Promise<string[]>;
}

async function createIdentities(s: Sandbox, roles: RedisRole[], onFinished: (fn: () => Promise<void>) => void) {
  const admin = new Redis(s.redis.url);
  const clients: Redis[] = [admin];
  const passwords = new Map(roles.map((who) => [redisUserName(s.redis.prefix, who), randomBytes(18).toString("hex")]));
  for (const who of roles) {
    const [, ...args] = aclSetUser(s.redis.prefix, who, passwords.get(redisUserName(s.redis.prefix, who))!).split(" ");
    await admin.call("ACL", ...args);
  }
  onFinished(async () => {
    for (const client of clients) client.disconnect();
    const cleanup = new Redis(s.redis.url);
    await cleanup.call("ACL", "DELUSER", ...passwords.keys());
    cleanup.disconnect();
  });
  const url = (who: RedisRole) => {
    const user = redisUserName(s.redis.prefix, who);
    const base = new URL(s.redis.url);
    base.username = user;
    base.password = passwords.get(user)!;
    return base.toString();
  };
  const identities: Identities = {
    url,
    connect(who) {
      const client = new Redis(url(who), { maxRetriesPerRequest: 1 });
      clients.push(client);
      return client;
    },
    async refusals() {
      const log = (await admin.call("ACL", "LOG", "1000")) as unknown[][];
      return log
        .map((entry) => Object.fromEntries(chunk(entry)) as Record<string, unknown>)
        .filter((entry) => passwords.has(String(entry.username)))
        .map((entry) => `${entry.username}: ${entry.reason} ${entry.object}`);
    },
  };
  return identities;
}

const chunk = (flat: unknown[]) => Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i], flat[2 * i + 1]]);

const refused = /NOPERM|can't access/;
const local: RedisRole = { role: "worker", region: "local" };

describe("Redis identities per role", { timeout: 180_000 }, () => {
  it("refuses a region's worker every key but the fleet's, all but the consumer group's commands on its checks stream, and all but XADD on its results stream", async ({
    expect,
    onTestFinished,
  }) => {
    const s = await startSandbox();
    onTestFinished(() => s.stop());
    const euWorker: RedisRole = { role: "worker", region: "eu" };
    const ids = await createIdentities(s, [local, euWorker], onTestFinished);
    const p = s.redis.prefix;
    const bull = bullPrefix(p);

    // Another region's stream holds a check (with its spec) as the alerter would add it.
    const admin = new Redis(s.redis.url, { maxRetriesPerRequest: null });
    onTestFinished(() => admin.disconnect());
    const check = { monitorId: "mon_x", organizationId: "org_x", region: "eu", tick: 1, intervalMs: 60_000 };
    const spec = { type: "tcp", host: "example.com", port: 443, timeoutMs: 5_000, responseTimeThresholdMs: null };
    await new CheckStream(admin, p).add("eu", [{ ...check, spec } as never]);
    await admin.hset(`${p}:sched:entries`, "mon_x", "{}");
    const euChecks = checksStreamKey(p, "eu");
    const euPings = checksStreamKey(p, "eu", "icmp");
    const localChecks = checksStreamKey(p, "local");
    const localPings = checksStreamKey(p, "local", "icmp");

    const worker = ids.connect(local);
    const attempts: [string, () => Promise<unknown>][] = [
      ["another region's checks", () => worker.xrange(euChecks, "-", "+")],
      [
        "another region's checks as a consumer",
        () => worker.xreadgroup("GROUP", CHECKS_GROUP, "x", "STREAMS", euChecks, ">"),
      ],
      [
        "another region's ping checks as a consumer",
        () => worker.xreadgroup("GROUP", CHECKS_GROUP, "x", "STREAMS", euPings, ">"),
      ],
      ["another region's group", () => worker.xgroup("CREATE", euChecks, CHECKS_GROUP, "0")],
      ["adding ping checks to its own stream", () => worker.xadd(localPings, "*", "mon_y@local@1", "{}")],
      ["adding checks to its own stream", () => worker.xadd(localChecks, "*", "mon_y@local@1", "{}")],
      ["reading its own stream outside the group", () => worker.xrange(localChecks, "-", "+")],
      ["trimming its own stream", () => worker.xtrim(localChecks, "MAXLEN", 0)],
      ["destroying its own group", () => worker.xgroup("DESTROY", localChecks, CHECKS_GROUP)],
      [
        "another region's checks through a script",
        () => worker.eval("return redis.call('XRANGE', KEYS[1], '-', '+')", 1, euChecks),
      ],
      ["the old check queue", () => worker.lrange(`${bull}:checks-local:wait`, 0, -1)],
      ["the schedule entries", () => worker.hgetall(`${p}:sched:entries`)],
      ["the schedule's due times", () => worker.zrange(`${p}:sched:due`, 0, -1)],
      ["writing the scheduler lease", () => worker.set(`${p}:lock:scheduler`, "mine", "PX", 60_000)],
      ["reading the scheduler lease", () => worker.get(`${p}:lock:scheduler`)],
      ["a rate limit", () => worker.incr(`${p}:rl:org_x:m:1`)],
      ["failed authentications", () => worker.del(`${p}:authfail:ip:127.0.0.1`)],
      ["session revocations", () => worker.set(`${p}:session:valid-after:usr_x`, "0")],
      ["the notifications queue", () => worker.lrange(`${bull}:notifications:wait`, 0, -1)],
      ["another deployment's keys", () => worker.get(`other:${p}:sched:entries`)],
      ["the API's revocation channel", () => worker.publish(`${p}:auth:invalidate`, "x")],
      ["listing keys", () => worker.keys("*")],
      ["flushing", () => worker.flushall()],
      ["configuration", () => worker.config("GET", "maxmemory")],
      ["ACLs", () => worker.call("ACL", "LIST")],
    ];
    for (const [what, attempt] of attempts) await expect(attempt(), what).rejects.toThrow(refused);
    expect(await ids.refusals()).toContain(`${redisUserName(p, local)}: key ${p}:lock:scheduler`);

    // Its own checks streams, as a consumer of the group, and the fleet registry are open to it.
    for (const key of [localChecks, localPings]) {
      expect(await worker.xgroup("CREATE", key, CHECKS_GROUP, "0", "MKSTREAM")).toBe("OK");
      expect(await worker.xpending(key, CHECKS_GROUP)).toEqual([0, null, null, null]);
    }
    expect(
      await worker.xreadgroup("GROUP", CHECKS_GROUP, "x", "STREAMS", localChecks, localPings, ">", ">"),
    ).toBeNull();
    expect(await worker.set(`${p}:fleet:worker:x`, "{}", "PX", 1_000)).toBe("OK");

    // Results: eu's workers add to eu's stream and nothing else. Another worker's entry there (and the
    // us stream's) can be neither read nor changed nor deleted; the old shared results queue is closed.
    const euWorkerRedis = ids.connect(euWorker);
    const euStream = resultsStreamKey(p, "eu");
    const usStream = resultsStreamKey(p, "us");
    const published = await euWorkerRedis.xadd(euStream, "*", "mon_x@eu@1", "{}");
    await admin.xadd(usStream, "*", "mon_y@us@1", "{}");
    const euAttempts: [string, () => Promise<unknown>][] = [
      ["adding to another region's stream", () => euWorkerRedis.xadd(usStream, "*", "mon_y@us@2", "{}")],
      ["reading another region's stream", () => euWorkerRedis.xrange(usStream, "-", "+")],
      ["reading its own stream", () => euWorkerRedis.xrange(euStream, "-", "+")],
      ["reading its own stream with XREAD", () => euWorkerRedis.xread("STREAMS", euStream, "0")],
      ["reading its own stream's length", () => euWorkerRedis.xlen(euStream)],
      ["deleting an entry of its own stream", () => euWorkerRedis.xdel(euStream, published!)],
      ["trimming its own stream", () => euWorkerRedis.xtrim(euStream, "MAXLEN", 0)],
      ["consuming its own stream", () => euWorkerRedis.xreadgroup("GROUP", "alerters", "x", "STREAMS", euStream, ">")],
      ["acknowledging in its own stream", () => euWorkerRedis.xack(euStream, "alerters", published!)],
      [
        "its own stream through a script",
        () => euWorkerRedis.eval("return redis.call('XRANGE', KEYS[1], '-', '+')", 1, euStream),
      ],
      ["the old results queue", () => euWorkerRedis.hgetall(`${bull}:results:meta`)],
    ];
    for (const [what, attempt] of euAttempts) await expect(attempt(), what).rejects.toThrow(refused);
    expect((await admin.xrange(euStream, "-", "+")).map(([id]) => id)).toEqual([published]);
    expect(await admin.xlen(usStream)).toBe(1);
  });

  it("runs the whole flow with each process on its own identity, and Redis refuses none of them anything", async ({
    expect,
    onTestFinished,
  }) => {
    const s = await startSandbox();
    onTestFinished(() => s.stop());
    const api: RedisRole = { role: "api" };
    const alerter: RedisRole = { role: "alerter" };
    const ids = await createIdentities(s, [api, alerter, local], onTestFinished);

    const launch = apiApp(s.services, 90_000);
    const apiProcess = await startApp({ ...launch, env: { ...launch.env, REDIS_URL: ids.url(api) } });
    onTestFinished(async () => void (await apiProcess.stop("SIGKILL")));
    await s.alerter({ REDIS_URL: ids.url(alerter) });
    await s.worker({ REDIS_URL: ids.url(local) });

    const signup = await fetch(`${apiProcess.url}/api/v1/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "ops@example.com", password: "correct horse battery", organization_name: "Ops" }),
    });
    const { token } = (await signup.json()) as { token: string };
    expect(signup.status).toBe(201);
    const created = await fetch(`${apiProcess.url}/api/v1/monitors`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        type: "http",
        name: "acl",
        url: `${s.target.url}/acl`,
        interval_seconds: 10,
        timeout_ms: 2000,
      }),
    });
    const monitor = (await created.json()) as { id: string };
    expect(created.status, JSON.stringify(monitor)).toBe(201);
    // A ping monitor too: its checks travel on the region's ICMP stream, which the worker reads as well.
    const pinged = await fetch(`${apiProcess.url}/api/v1/monitors`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        type: "ping",
        name: "acl ping",
        host: "127.0.0.1",
        interval_seconds: 10,
        timeout_ms: 2000,
      }),
    });
    const pingMonitor = (await pinged.json()) as { id: string };
    expect(pinged.status, JSON.stringify(pingMonitor)).toBe(201);

    // Dispatched by the alerter, checked by the worker, stored by the alerter: two ticks end to end.
    for (const id of [monitor.id, pingMonitor.id])
      await waitFor(async () => (await s.db.checkResult.count({ where: { monitor: { id } } })) >= 2, {
        timeoutMs: 60_000,
        what: "two checks of each monitor stored",
      });
    const regions = await fetch(`${apiProcess.url}/api/v1/monitors/${monitor.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(regions.status).toBe(200);
    expect(await ids.refusals()).toEqual([]);
  });
});
