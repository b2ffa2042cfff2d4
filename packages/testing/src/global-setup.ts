/**
 * vitest's global setup: bundles the apps the tests start (ADR 0010's build, with source maps) into a
 * folder of this run, which spawnApp starts them from (ADR 0009). Rebuilt on every run, and before
 * every rerun in watch mode, never reused: no test runs against a stale bundle.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { bundleApps } from "./bundles.ts";
import { APP_POOL_SIZE } from "./pools.ts";
import { BUILDS_ENV } from "./process.ts";

const buildAll = (builds: string) => bundleApps(builds, { sourcemap: true });

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const builds = await mkdtemp(path.join(tmpdir(), "upfleet-test-builds-"));
  await buildAll(builds);
  project.onTestsRerun(() => buildAll(builds));
  // The forks vitest starts next inherit these variables, and the apps they spawn with them.
  process.env[BUILDS_ENV] = builds;
  process.env.DATABASE_POOL_SIZE = String(APP_POOL_SIZE);
  return () => rm(builds, { recursive: true, force: true });
}
