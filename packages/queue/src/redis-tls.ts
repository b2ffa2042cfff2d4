import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import type { RedisOptions } from "ioredis";
import { z } from "zod";

/**
 * A PEM file named by a variable, read and parsed once at start: a path that cannot be read, or a file
 * that holds no certificate (no key), stops the process with a message naming the variable.
 */
const pemFile = (kind: "certificate" | "private key") =>
  z
    .preprocess((value) => (value === "" ? undefined : value), z.string().optional())
    .transform((path, ctx) => {
      if (path === undefined) return undefined;
      try {
        const pem = readFileSync(path, "utf8");
        if (kind === "certificate") new X509Certificate(pem);
        else createPrivateKey(pem);
        return pem;
      } catch (error) {
        ctx.addIssue({ code: "custom", message: `${path}: not a readable PEM ${kind} (${(error as Error).message})` });
        return z.NEVER;
      }
    });

/**
 * TLS to Redis, for `rediss://` URLs: the CA that signed the server's certificate when it is not a
 * public one, and a client certificate and key for servers that ask for one (`tls-auth-clients`).
 */
export const redisTlsEnv = {
  REDIS_TLS_CA: pemFile("certificate"),
  REDIS_TLS_CERT: pemFile("certificate"),
  REDIS_TLS_KEY: pemFile("private key"),
};

interface RedisTlsConfig {
  REDIS_URL: string;
  REDIS_TLS_CA?: string | undefined;
  REDIS_TLS_CERT?: string | undefined;
  REDIS_TLS_KEY?: string | undefined;
}

const TLS_VARIABLES = ["REDIS_TLS_CA", "REDIS_TLS_CERT", "REDIS_TLS_KEY"] as const;

/** For a config's `superRefine`: TLS files only with a `rediss://` URL, and a client certificate only with its key. */
export function checkRedisTls(env: RedisTlsConfig, ctx: z.RefinementCtx): void {
  const given = TLS_VARIABLES.filter((name) => env[name] !== undefined);
  if (given.length > 0 && !env.REDIS_URL.startsWith("rediss:")) {
    ctx.addIssue({
      code: "custom",
      path: ["REDIS_URL"],
      message: `must be a rediss:// URL to use ${given.join(", ")}`,
    });
  }
  if ((env.REDIS_TLS_CERT === undefined) !== (env.REDIS_TLS_KEY === undefined)) {
    const missing = env.REDIS_TLS_CERT === undefined ? "REDIS_TLS_CERT" : "REDIS_TLS_KEY";
    ctx.addIssue({
      code: "custom",
      path: [missing],
      message: "a client certificate needs both REDIS_TLS_CERT and REDIS_TLS_KEY",
    });
  }
}

/**
 * What every connection to Redis is opened with besides its URL: ioredis turns `rediss://` into TLS
 * with the system's CAs; this adds the configured CA and client certificate. Connections made with
 * `duplicate()` (BullMQ's, the lease's) inherit it.
 */
export function redisOptions(env: RedisTlsConfig): RedisOptions {
  if (!env.REDIS_URL.startsWith("rediss:")) return {};
  const { REDIS_TLS_CA: ca, REDIS_TLS_CERT: cert, REDIS_TLS_KEY: key } = env;
  return { tls: { ...(ca && { ca }), ...(cert && { cert }), ...(key && { key }) } };
}
