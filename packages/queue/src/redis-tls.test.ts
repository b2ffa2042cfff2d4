import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { selfSignedLocalhost } from "@upfleet/checks/testing";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { checkRedisTls, redisOptions, redisTlsEnv } from "./redis-tls.ts";

const Env = z.object({ REDIS_URL: z.string(), ...redisTlsEnv }).superRefine(checkRedisTls);
const problems = (env: Record<string, string>) => {
  const result = Env.safeParse(env);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

const dir = mkdtempSync(join(tmpdir(), "upfleet-redis-tls-env-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pair = selfSignedLocalhost();
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const cert = file("cert.pem", pair.cert);
const key = file("key.pem", pair.key);

describe("Redis TLS configuration", () => {
  it("reads the CA and client certificate files once, into the options of every connection", () => {
    const env = Env.parse({
      REDIS_URL: "rediss://redis.example:6380",
      REDIS_TLS_CA: cert,
      REDIS_TLS_CERT: cert,
      REDIS_TLS_KEY: key,
    });
    expect(redisOptions(env)).toEqual({ tls: { ca: pair.cert, cert: pair.cert, key: pair.key } });
    expect(redisOptions(Env.parse({ REDIS_URL: "rediss://redis.example:6380", REDIS_TLS_CA: "" }))).toEqual({
      tls: {},
    });
    expect(redisOptions(Env.parse({ REDIS_URL: "redis://127.0.0.1:6379" }))).toEqual({});
  });

  it("names the variable of a file that is missing or not what it should be", () => {
    expect(problems({ REDIS_URL: "rediss://r:6380", REDIS_TLS_CA: join(dir, "missing.pem") })).toEqual([
      expect.stringMatching(/^REDIS_TLS_CA: .*missing\.pem: not a readable PEM certificate/),
    ]);
    expect(problems({ REDIS_URL: "rediss://r:6380", REDIS_TLS_CERT: key, REDIS_TLS_KEY: key })).toEqual([
      expect.stringMatching(/^REDIS_TLS_CERT: .*not a readable PEM certificate/),
    ]);
    expect(problems({ REDIS_URL: "rediss://r:6380", REDIS_TLS_CERT: cert, REDIS_TLS_KEY: cert })).toEqual([
      expect.stringMatching(/^REDIS_TLS_KEY: .*not a readable PEM private key/),
    ]);
  });

  it("wants TLS files with a rediss:// URL only, and a client certificate with its key", () => {
    expect(problems({ REDIS_URL: "redis://r:6379", REDIS_TLS_CA: cert })).toEqual([
      "REDIS_URL: must be a rediss:// URL to use REDIS_TLS_CA",
    ]);
    expect(problems({ REDIS_URL: "rediss://r:6380", REDIS_TLS_CERT: cert })).toEqual([
      "REDIS_TLS_KEY: a client certificate needs both REDIS_TLS_CERT and REDIS_TLS_KEY",
    ]);
    expect(problems({ REDIS_URL: "rediss://r:6380", REDIS_TLS_KEY: key })).toEqual([
      "REDIS_TLS_CERT: a client certificate needs both REDIS_TLS_CERT and REDIS_TLS_KEY",
    ]);
  });
});
