export { createTestDatabase, type TestDatabase } from "./postgres.ts";
export { createTestRedis, type TestRedis } from "./redis.ts";
export { waitFor } from "./wait-for.ts";
