import { describe, expect, it } from "vitest";
import { z } from "zod";
import { baseEnv, booleanFlag, ConfigError, databaseEnv, parseEnv, regionList } from "./index.ts";

const schema = z.object({ ...baseEnv, ...databaseEnv, REGIONS: regionList("local"), OPEN: booleanFlag(false) });

describe("parseEnv", () => {
  it("fills defaults that work on a fresh machine", () => {
    const env = parseEnv(schema, {});
    expect(env.DATABASE_URL).toBe("postgresql://postgres@127.0.0.1:5432/upfleet");
    expect(env.DATABASE_POOL_SIZE).toBe(10);
    expect(env.REDIS_URL).toBe("redis://127.0.0.1:6379");
    expect(env.REGIONS).toEqual(["local"]);
    expect(env.OPEN).toBe(false);
    expect(env.LOG_LEVEL).toBe("info");
  });

  it("parses lists and flags", () => {
    const env = parseEnv(schema, { REGIONS: "eu-west, us-east,eu-west", OPEN: "true" });
    expect(env.REGIONS).toEqual(["eu-west", "us-east"]);
    expect(env.OPEN).toBe(true);
  });

  it("names every bad variable", () => {
    let error: unknown;
    try {
      parseEnv(schema, {
        DATABASE_URL: "mysql://x",
        DATABASE_POOL_SIZE: "0",
        REDIS_URL: "nope",
        REGIONS: "EU West",
        OPEN: "yes",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ["DATABASE_URL", "DATABASE_POOL_SIZE", "REDIS_URL", "REGIONS", "OPEN"])
      expect(message).toContain(name);
  });

  it.for([
    ["upf", true],
    ["{upf}", true],
    ["eu.{upf-1}_x", true],
    ["{a}{b}", false],
    ["{}", false],
    ["up{f", false],
    ["up:f", false],
    ["x".repeat(65), false],
  ] as const)("accepts REDIS_PREFIX %s: %s (a hash tag, once, for Redis Cluster)", ([prefix, ok]) => {
    expect(schema.safeParse({ REDIS_PREFIX: prefix }).success).toBe(ok);
  });
});
