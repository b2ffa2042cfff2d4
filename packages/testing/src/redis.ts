import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export interface TestRedis {
  url: string;
  /** Pass as REDIS_PREFIX: every key the code under test writes starts with it. */
  prefix: string;
  /** Deletes every key under the prefix. */
  cleanup(): Promise<void>;
}

/**
 * A Redis key space of its own, for one test file, on the shared server. `database` puts it on a
 * logical database of its own too, for a test that must FLUSHDB without touching other files' keys.
 */
export function createTestRedis(database?: number): TestRedis {
  const prefix = `t${randomBytes(5).toString("hex")}`;
  const url = new URL(REDIS_URL);
  if (database !== undefined) url.pathname = `/${database}`;
  return {
    url: url.toString(),
    prefix,
    cleanup: async () => {
      const redis = new Redis(url.toString(), { lazyConnect: true });
      await redis.connect();
      try {
        const stream = redis.scanStream({ match: `${prefix}:*`, count: 1000 });
        for await (const keys of stream as AsyncIterable<string[]>) {
          if (keys.length) await redis.unlink(...keys);
        }
      } finally {
        redis.disconnect();
      }
    },
  };
}
