import { once } from "node:events";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { parseEnv } from "@upfleet/config";
import { createLogger } from "@upfleet/logger";
import {
  APP_POOL_SIZE,
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  type TestRedis,
} from "@upfleet/testing";
import { createServer } from "../../src/app.ts";
import { createApiDeps } from "../../src/bootstrap.ts";
import { ApiEnv } from "../../src/config.ts";
import type { ApiDeps } from "../../src/deps.ts";

export interface TestResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
  body: any;
  text: string;
}

interface RequestOptions {
  body?: unknown;
  /** Sent as is, with `contentType` (default application/json). */
  rawBody?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  /** A session JWT or an API key, sent as `Authorization: Bearer`. */
  auth?: string;
}

export interface TestApi {
  url: string;
  deps: ApiDeps;
  database: TestDatabase;
  redis: TestRedis;
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  /** A GET with a Host of our choosing (fetch will not send one; node:http will): custom domains. */
  getWithHost(path: string, host: string): Promise<{ status: number; headers: Record<string, unknown>; text: string }>;
  close(): Promise<void>;
}

/**
 * The real API (real PostgreSQL, real Redis) on a random port, in this process. Pass `shared` to
 * start a second instance on the same database and Redis prefix, as a second replica would be.
 */
export async function startTestApi(
  env: Record<string, string> = {},
  shared?: { database: TestDatabase; redis: TestRedis },
): Promise<TestApi> {
  const database = shared?.database ?? (await createTestDatabase());
  const redis = shared?.redis ?? createTestRedis();
  const config = parseEnv(ApiEnv, {
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: String(APP_POOL_SIZE),
    REDIS_URL: redis.url,
    REDIS_PREFIX: redis.prefix,
    LOG_LEVEL: "silent",
    APP_SECRET: "test-secret-test-secret-test-secret-0123456789",
    // Test files sign up and log in far more often than a person; rate-limit.test.ts checks the limit.
    AUTH_RATE_LIMIT_PER_MINUTE: "100000",
    // Status page tests read pages and badges in loops; public-limits.test.ts checks the limit.
    PUBLIC_RATE_LIMIT_PER_MINUTE: "100000",
    // Likewise they fail on purpose (unknown keys, wrong passwords); auth-hardening.test.ts checks these.
    AUTH_FAILURES_PER_IP: "100000",
    AUTH_FAILURES_PER_KEY_PREFIX: "100000",
    AUTH_FAILURES_PER_EMAIL: "100000",
    ...env,
  });
  const logger = createLogger("api", config.LOG_LEVEL);
  const { deps, close } = await createApiDeps(config, logger);
  const server = createServer(deps).listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    deps,
    database,
    redis,
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.auth) headers.authorization = `Bearer ${options.auth}`;
      let body: string | Buffer | undefined;
      if (options.rawBody !== undefined) {
        body = options.rawBody;
        headers["content-type"] ??= options.contentType ?? "application/json";
      } else if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers["content-type"] ??= "application/json";
      }
      const response = await fetch(`${url}${path}`, { method, headers, body });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: response.status, headers: response.headers, body: parsed, text };
    },
    getWithHost(path, host) {
      const { hostname, port } = new URL(url);
      return new Promise((resolve, reject) => {
        const call = httpRequest({ host: hostname, port, path, headers: { host } }, (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk) => {
            text += chunk;
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        });
        call.on("error", reject);
        call.end();
      });
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await close();
      if (!shared) {
        await database.drop();
        await redis.cleanup();
      }
    },
  };
}
