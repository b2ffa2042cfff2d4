import { ConfigError, parseEnv } from "@upfleet/config";
import { describe, expect, it } from "vitest";
import { WORKER_HEALTH_PORT, WorkerEnv } from "./config.ts";

describe("worker configuration", () => {
  it("works on a fresh machine with no variables set", () => {
    const config = parseEnv(WorkerEnv, {});
    expect(config).toMatchObject({
      REGION: "local",
      CONCURRENCY: 50,
      REDIS_URL: "redis://127.0.0.1:6379",
      HEALTH_PORT: WORKER_HEALTH_PORT,
    });
  });

  it("reads region and concurrency", () => {
    expect(parseEnv(WorkerEnv, { REGION: "eu-west", CONCURRENCY: "1000" })).toMatchObject({
      REGION: "eu-west",
      CONCURRENCY: 1000,
    });
  });

  it("takes ping checks unless PING_CHECKS=false turns them off", () => {
    expect(parseEnv(WorkerEnv, {}).PING_CHECKS).toBe(true);
    expect(parseEnv(WorkerEnv, { PING_CHECKS: "false" }).PING_CHECKS).toBe(false);
  });

  it.each([
    ["PING_CHECKS", "off"],
    ["CONCURRENCY", "abc"],
    ["CONCURRENCY", "0"],
    ["CONCURRENCY", "1001"],
    ["REGION", "EU West"],
    ["HEALTH_PORT", "70000"],
    ["CHECK_DNS_RESOLVERS", "9.9.9.9,dns.google"],
    ["CHECK_DNS_RESOLVERS", "2620:fe::fe"],
    ["INTERNAL_DNS_SUFFIXES", "corp.example,bad suffix"],
    ["INTERNAL_DNS_ALLOW_SUFFIXES", "a..b"],
  ])("rejects %s=%s naming the variable", (name, value) => {
    expect(() => parseEnv(WorkerEnv, { [name]: value })).toThrow(ConfigError);
    expect(() => parseEnv(WorkerEnv, { [name]: value })).toThrow(name);
  });

  it("reads the internal-name lists and the check resolvers, empty by default", () => {
    expect(parseEnv(WorkerEnv, {})).toMatchObject({
      INTERNAL_DNS_SUFFIXES: [],
      INTERNAL_DNS_ALLOW_SUFFIXES: [],
      CHECK_DNS_RESOLVERS: [],
    });
    expect(
      parseEnv(WorkerEnv, {
        INTERNAL_DNS_SUFFIXES: "Corp.Example., svc",
        INTERNAL_DNS_ALLOW_SUFFIXES: "localhost",
        CHECK_DNS_RESOLVERS: "9.9.9.9, 149.112.112.112:5353,[2620:fe::fe]",
      }),
    ).toMatchObject({
      INTERNAL_DNS_SUFFIXES: ["corp.example", "svc"],
      INTERNAL_DNS_ALLOW_SUFFIXES: ["localhost"],
      CHECK_DNS_RESOLVERS: ["9.9.9.9:53", "149.112.112.112:5353", "[2620:fe::fe]:53"],
    });
  });

  it("never reads database credentials, even when the environment has them", () => {
    const config = parseEnv(WorkerEnv, { DATABASE_URL: "postgresql://postgres:secret@db/upfleet" });
    expect(config).not.toHaveProperty("DATABASE_URL");
    expect(JSON.stringify(config)).not.toContain("secret");
  });
});
