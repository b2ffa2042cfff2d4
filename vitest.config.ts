import { defineConfig } from "vitest/config";
import { LongestFirst } from "./packages/testing/src/sequencer.ts";

export default defineConfig({
  test: {
    include: [
      "packages/*/src/**/*.test.ts",
      "apps/*/src/**/*.test.ts",
      "apps/*/test/**/*.test.ts",
      "bench/**/*.test.ts",
      "deploy/test/**/*.test.ts",
    ],
    // Bundles the apps that tests start as processes, once per run (packages/testing spawnApp).
    globalSetup: ["packages/testing/src/global-setup.ts"],
    setupFiles: ["packages/testing/src/report-failures.ts"],
    pool: "forks",
    // Files share a fork's loaded modules (Prisma's client, Express, the packages) instead of each
    // loading them again, which was most of the suite's collection time. Files stay independent: each
    // has its own database and Redis prefix, and no test mocks modules or edits process.env.
    isolate: false,
    // File-scoped fixtures (a database, app processes) are set up inside the first test that uses
    // them, so that test's time includes them: a minute leaves room for that on a loaded machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Every file has its own database and Redis prefix, so files run in parallel safely.
    fileParallelism: true,
    // More forks than the 2 cores: the long end-to-end files spend their time waiting on real
    // intervals (ticks, deadlines, escalation minutes), not on the CPU, so they overlap well. Not more:
    // with their apps' small pools (APP_POOL_SIZE) the run's PostgreSQL connections peak near 70 of the
    // server's default 100 (ADR 0009).
    maxWorkers: 6,
    // Forks kept for the whole run: with isolate off, vitest 3.2 fails a run whose idle forks it shut
    // down early ("Terminating worker thread").
    minWorkers: 6,
    // The longest files first, so no fork starts a minutes-long file when the others are nearly done.
    sequence: { sequencer: LongestFirst },
  },
});
