import type { Cluster, Redis } from "ioredis";

/** A named dependency check: resolves when reachable, rejects (or times out) otherwise. */
export interface Probe {
  name: string;
  check(): Promise<unknown>;
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, "ok" | "unreachable">;
}

const PROBE_TIMEOUT_MS = 2_000;

/** `promise`, or a rejection once `ms` have passed without it settling. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs every probe at once; ready only when all answer within the timeout. */
export async function checkReadiness(probes: Probe[]): Promise<Readiness> {
  const results = await Promise.allSettled(probes.map((p) => withTimeout(p.check(), PROBE_TIMEOUT_MS)));
  const checks: Readiness["checks"] = {};
  probes.forEach((probe, i) => {
    checks[probe.name] = results[i]?.status === "fulfilled" ? "ok" : "unreachable";
  });
  return { ready: Object.values(checks).every((c) => c === "ok"), checks };
}

export function redisProbe(redis: Redis | Cluster): Probe {
  return { name: "redis", check: () => redis.ping() };
}

/** Works with any client exposing a raw query (the Prisma client's `$queryRaw` template tag). */
export function postgresProbe(db: { $queryRaw(query: TemplateStringsArray): Promise<unknown> }): Probe {
  return { name: "postgres", check: () => db.$queryRaw`SELECT 1` };
}
