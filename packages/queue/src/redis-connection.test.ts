import { describe, expect, it } from "vitest";
import { z } from "zod";
import { checkRedisTopology, redisTopologyEnv } from "./redis-connection.ts";

const Env = z
  .object({
    REDIS_URL: z.string().default("redis://127.0.0.1:6379"),
    REDIS_PREFIX: z.string().default("upf"),
    ...redisTopologyEnv,
  })
  .superRefine(checkRedisTopology);

const problems = (env: Record<string, string>) => {
  const parsed = Env.safeParse(env);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join("."));
};

describe("Redis topology configuration", () => {
  it("reads cluster seed nodes and sentinels as host:port lists, IPv6 in brackets", () => {
    const env = Env.parse({
      REDIS_PREFIX: "{upf}",
      REDIS_CLUSTER_NODES: "10.0.0.1:7000, redis-2.internal:7001,[::1]:7002",
    });
    expect(env.REDIS_CLUSTER_NODES).toEqual([
      { host: "10.0.0.1", port: 7000 },
      { host: "redis-2.internal", port: 7001 },
      { host: "::1", port: 7002 },
    ]);
    expect(Env.parse({ REDIS_SENTINELS: "s1:26379", REDIS_SENTINEL_NAME: "mymaster" }).REDIS_SENTINELS).toEqual([
      { host: "s1", port: 26379 },
    ]);
    expect(Env.parse({}).REDIS_CLUSTER_NODES).toEqual([]);
  });

  it.for([
    [{ REDIS_CLUSTER_NODES: "a:7000" }, ["REDIS_PREFIX"]],
    [{ REDIS_CLUSTER_NODES: "a:7000", REDIS_PREFIX: "{upf}", REDIS_URL: "redis://x:6379/2" }, ["REDIS_URL"]],
    [{ REDIS_CLUSTER_NODES: "a", REDIS_PREFIX: "{upf}" }, ["REDIS_CLUSTER_NODES"]],
    [{ REDIS_CLUSTER_NODES: "a:70000", REDIS_PREFIX: "{upf}" }, ["REDIS_CLUSTER_NODES"]],
    [{ REDIS_SENTINELS: "s:26379" }, ["REDIS_SENTINEL_NAME"]],
    [{ REDIS_SENTINEL_NAME: "mymaster" }, ["REDIS_SENTINELS"]],
    [
      { REDIS_CLUSTER_NODES: "a:7000", REDIS_PREFIX: "{upf}", REDIS_SENTINELS: "s:26379", REDIS_SENTINEL_NAME: "m" },
      ["REDIS_SENTINELS"],
    ],
  ] as const)("refuses %j, naming %j", ([env, paths]) => {
    expect(problems(env)).toEqual(paths);
  });
});
