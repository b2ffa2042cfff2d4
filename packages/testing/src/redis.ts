import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export interface TestRedis {
  url: string;
  /** Pass as REDIS_PREFIX: every key the code under test writes starts with it. */
  prefix: string;
  /** Deletes every key under the prefix. */
  cleanup(): Promise<void>;
}

/** A Redis key space of its own, for one test file, on the shared server. */
export function createTestRedis(): TestRedis {
  const prefix = `t${randomBytes(5).toString("hex")}`;
  return {
    url: REDIS_URL,
    prefix,
    cleanup: async () => {
      const redis = new Redis(REDIS_URL, { lazyConnect: true });
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
