import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { ALERTER_HEALTH_PORT, AlerterEnv } from "../../apps/alerter/src/config.ts";
import { ApiEnv } from "../../apps/api/src/config.ts";
import { WORKER_HEALTH_PORT, WorkerEnv } from "../../apps/worker/src/config.ts";
import { databaseEnv } from "../../packages/config/src/index.ts";
import { createMetricsRegistry } from "../../packages/runtime/src/metrics.ts";
import { SHUTDOWN_DEADLINE_MS } from "../../packages/runtime/src/shutdown.ts";

/** What the deployment files must agree with, read from the apps themselves. */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const DEPLOY = path.join(ROOT, "deploy");
export { SHUTDOWN_DEADLINE_MS };

export type AppName = "api" | "alerter" | "worker" | "migrate";

/** Which app an image runs: `<registry>/upfleet-<app>:<tag>`. */
export function appOfImage(image: string): AppName {
  const match = /(?:^|\/)upfleet-(api|alerter|worker|migrate)(?::[^/]+)?$/.exec(image);
  if (!match) throw new Error(`${image} is not an Upfleet image`);
  return match[1] as AppName;
}

/** The variables each app's config schema reads; anything else in its environment is ignored or a typo. */
export const ENV_KEYS: Record<AppName, Set<string>> = {
  api: keysOf(ApiEnv),
  alerter: keysOf(AlerterEnv),
  worker: keysOf(WorkerEnv),
  migrate: new Set(Object.keys(databaseEnv)),
};

/** The object schema's keys, through the transforms (pipes) an app's schema ends with. */
function keysOf(schema: unknown): Set<string> {
  if (schema instanceof z.ZodObject) return new Set(Object.keys(schema.shape));
  if (schema instanceof z.ZodPipe) return keysOf(schema.in);
  throw new Error("an app's env schema is an object, or a pipe from one");
}

/**
 * The ports an app serves /healthz and /readyz on, given its environment, and the one its /metrics is
 * on (the API's only on METRICS_PORT: never its public port).
 */
export function servedPorts(app: AppName, env: Record<string, string | undefined>) {
  const num = (value: string | undefined, fallback: number) => (value ? Number(value) : fallback);
  if (app === "api") {
    const metrics = env.METRICS_PORT ? Number(env.METRICS_PORT) : undefined;
    return { health: [num(env.PORT, 3000), ...(metrics ? [metrics] : [])], metrics };
  }
  if (app === "migrate") return { health: [], metrics: undefined };
  const port = num(env.HEALTH_PORT, app === "alerter" ? ALERTER_HEALTH_PORT : WORKER_HEALTH_PORT);
  return { health: [port], metrics: port };
}

/** Every metric the apps register: `upfleet_*` names in their source, and prom-client's default metrics. */
export function registeredMetrics(): Set<string> {
  const names = new Set(
    createMetricsRegistry("deploy-test")
      .getMetricsAsArray()
      .map((metric) => metric.name),
  );
  for (const dir of ["apps", "packages"]) {
    for (const file of sourceFiles(path.join(ROOT, dir))) {
      for (const [, name] of readFileSync(file, "utf8").matchAll(/"(upfleet_[a-z0-9_]+)"/g)) names.add(name as string);
    }
  }
  return names;
}

/** `.ts` sources under `dir`'s `src` folders, without tests and dependencies. */
function sourceFiles(dir: string, inSrc = false): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const at = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(at, inSrc || entry.name === "src");
    return inSrc && entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [at] : [];
  });
}
