import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "packages/*/src/**/*.test.ts",
      "apps/*/src/**/*.test.ts",
      "apps/*/test/**/*.test.ts",
      "bench/**/*.test.ts",
    ],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Every file has its own database and Redis prefix, so files run in parallel safely.
    fileParallelism: true,
    // More forks than the 2 cores: the long end-to-end files spend their time waiting on real
    // intervals (ticks, deadlines, escalation minutes), not on the CPU, so they overlap well.
    maxWorkers: 4,
  },
});
