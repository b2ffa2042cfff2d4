/**
 * vitest's global setup: bundles the apps the tests start (ADR 0010's build, with source maps) into a
 * folder of this run, which spawnApp starts them from (ADR 0009). Rebuilt on every run, never reused,
 * so no test runs against a stale bundle; the build takes a few seconds of the run.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildApp } from "../../../build.ts";
import { BUILDS_ENV } from "./process.ts";

const APPS = ["api", "alerter", "worker"];

export async function setup(): Promise<() => Promise<void>> {
  const builds = await mkdtemp(path.join(tmpdir(), "upfleet-test-builds-"));
  await Promise.all(APPS.map((app) => buildApp(app, path.join(builds, app), { sourcemap: true, linkAssets: true })));
  // The forks vitest starts next inherit the variable, and the apps they spawn with it.
  process.env[BUILDS_ENV] = builds;
  return () => rm(builds, { recursive: true, force: true });
}
