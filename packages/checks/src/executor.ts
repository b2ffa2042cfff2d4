import type { OutboundGuard } from "@upfleet/outbound";
import type { CheckResult } from "./result.ts";
import type { CheckSpec, CheckType } from "./spec.ts";

export interface ExecutorDeps {
  guard: OutboundGuard;
  userAgent: string;
  /** Tests only (see CheckRunnerOptions.trustedCa): certificates trusted instead of Node's roots. */
  trustedCa?: string[];
}

/** Signals for one check run. */
export interface RunContext {
  /** Aborts when the deadline passes or the caller gives up: stop all work. */
  signal: AbortSignal;
  /** Aborts only when the spec's timeoutMs has passed, so a stop can be told apart as a timeout. */
  deadline: AbortSignal;
}

/** Runs one type of check. It throws nothing: every outcome, failures included, is a CheckResult. */
export interface Executor<S extends CheckSpec = CheckSpec> {
  run(spec: S, context: RunContext): Promise<CheckResult>;
  /** Releases pooled resources (sockets); the runner calls it once, on close. */
  close?(): void;
}

type SpecOf<T extends CheckType> = Extract<CheckSpec, { type: T }>;

/** Built once per runner, so executors can keep pools (keep-alive agents) across checks. */
export type ExecutorFactory<T extends CheckType> = (deps: ExecutorDeps) => Executor<SpecOf<T>>;

/** Up, or degraded when slower than the threshold. */
export function upOrDegraded(
  responseMs: number,
  thresholdMs: number | null,
): Pick<CheckResult, "status" | "error" | "message"> {
  if (thresholdMs !== null && responseMs > thresholdMs) {
    return {
      status: "degraded",
      error: null,
      message: `Response took ${responseMs} ms, above the ${thresholdMs} ms threshold`,
    };
  }
  return { status: "up", error: null, message: null };
}
