import type { OutboundGuard } from "@upfleet/outbound";
import { createApiExecutor } from "./api.ts";
import { createDnsExecutor } from "./dns.ts";
import type { Executor, ExecutorFactory } from "./executor.ts";
import { createHttpExecutor } from "./http.ts";
import { createPingExecutor } from "./ping.ts";
import type { CheckResult } from "./result.ts";
import type { CheckSpec, CheckType } from "./spec.ts";
import { createSslExecutor } from "./ssl.ts";
import { createTcpExecutor } from "./tcp.ts";
import { createUnrunnableExecutor } from "./unrunnable.ts";

export * from "./contracts.ts";
export type { Executor, ExecutorDeps, ExecutorFactory, RunContext } from "./executor.ts";
export { BODY_LIMIT_BYTES } from "./http-body.ts";
export { MAX_REDIRECTS } from "./http-client.ts";
export { icmpProblem } from "./ping.ts";

/** One executor per check type. A new type is one file exporting its factory and one line here. */
const registry: { [T in CheckType]: ExecutorFactory<T> } = {
  http: createHttpExecutor,
  tcp: createTcpExecutor,
  dns: createDnsExecutor,
  ssl: createSslExecutor,
  api: createApiExecutor,
  ping: createPingExecutor,
  unrunnable: createUnrunnableExecutor,
};

export const DEFAULT_USER_AGENT = "Upfleet-Checks/1 (+uptime monitoring)";

/** How long past its timeoutMs a check may take to report before the runner reports the timeout itself. */
const DEADLINE_GRACE_MS = 250;

export interface CheckRunnerOptions {
  guard: OutboundGuard;
  userAgent?: string;
  /**
   * Tests only: the CA certificates (PEM) the ssl check trusts instead of Node's bundled roots, so a
   * test can issue a "valid" certificate. It narrows trust, never switches verification off; the
   * worker does not set it.
   */
  trustedCa?: string[];
}

export interface CheckRunner {
  /** Runs one check. Never throws: bad specs, blocked targets and crashes are all a "down" CheckResult. */
  run(spec: CheckSpec, signal?: AbortSignal): Promise<CheckResult>;
  /** Closes pooled connections; the runner must not be used afterwards. */
  close(): void;
}

export function createCheckRunner(options: CheckRunnerOptions): CheckRunner {
  const deps = {
    guard: options.guard,
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
    trustedCa: options.trustedCa,
  };
  const executors = Object.fromEntries(
    Object.entries(registry).map(([type, factory]) => [type, (factory as ExecutorFactory<CheckType>)(deps)]),
  ) as Record<CheckType, Executor>;

  return {
    async run(spec, signal) {
      const type = spec?.type;
      const executor = Object.hasOwn(executors, type) ? executors[type] : undefined;
      if (!executor) return crashed(`No executor for check type ${JSON.stringify(spec?.type)}`);
      // `signal` stops the executor's work (deadline or caller); `deadline` tells a timeout apart.
      // Combined by hand: AbortSignal.any on a long-lived caller signal leaks in some Node 20 releases.
      const deadline = new AbortController();
      const stop = new AbortController();
      const onCallerAbort = () => stop.abort(signal?.reason);
      if (signal?.aborted) onCallerAbort();
      else signal?.addEventListener("abort", onCallerAbort, { once: true });
      const timer = setTimeout(() => {
        const reason = new DOMException(`Check exceeded ${spec.timeoutMs} ms`, "TimeoutError");
        deadline.abort(reason);
        stop.abort(reason);
      }, spec.timeoutMs);
      let backstop: NodeJS.Timeout | undefined;
      // Executors stop at the deadline themselves; this only guarantees that one which does not
      // (a bug, a library ignoring the signal) still cannot hold the check past timeoutMs.
      const late = new Promise<CheckResult>((resolve) => {
        backstop = setTimeout(() => resolve(timedOut(spec.timeoutMs)), spec.timeoutMs + DEADLINE_GRACE_MS);
      });
      try {
        const result = Promise.resolve()
          .then(() => executor.run(spec, { signal: stop.signal, deadline: deadline.signal }))
          .catch((error: unknown) => crashed(error instanceof Error ? error.message : String(error)));
        return await Promise.race([result, late]);
      } finally {
        clearTimeout(timer);
        clearTimeout(backstop);
        signal?.removeEventListener("abort", onCallerAbort);
      }
    },
    close() {
      for (const executor of Object.values(executors)) executor.close?.();
    },
  };
}

function crashed(message: string): CheckResult {
  return { status: "down", responseMs: null, httpStatus: null, error: "unknown", message, timings: {}, details: {} };
}

function timedOut(timeoutMs: number): CheckResult {
  return { ...crashed(`No answer within ${timeoutMs} ms`), error: "timeout" };
}
