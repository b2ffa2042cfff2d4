import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { BUILDS_ENV, spawnApp } from "./process.ts";

const WORKER_DIR = fileURLToPath(new URL("../../../apps/worker", import.meta.url));

// The suite tests the production build (ADR 0009): apps start from the bundles built for this run.
test("spawnApp starts an app from the bundle the suite built for this run", async () => {
  const builds = process.env[BUILDS_ENV];
  expect(builds).toBeDefined();
  const app = spawnApp({ cwd: WORKER_DIR, env: { HEALTH_PORT: "abc" } });
  expect(await app.exited).toEqual({ code: 1, signal: null });
  expect(app.child.spawnargs.slice(1)).toEqual(["--enable-source-maps", path.join(builds!, "worker", "main.js")]);
  expect(app.output()).toContain("HEALTH_PORT");
});
