import { performance } from "node:perf_hooks";
import { GuardedHttpAgent, GuardedHttpsAgent } from "@upfleet/outbound";
import { failure } from "./classify.ts";
import { type ExecutorFactory, type RunContext, upOrDegraded } from "./executor.ts";
import { matchesExpectedStatus, parseExpectedStatus } from "./expected-status.ts";
import { BODY_LIMIT_BYTES, type ResponseBody } from "./http-body.ts";
import { HttpExchange, requestBody, requestHeaders } from "./http-client.ts";
import type { CheckResult } from "./result.ts";
import type { HttpCheckSpec } from "./spec.ts";

export const AGENT_OPTIONS = {
  keepAlive: true,
  // Idle pooled sockets are closed after this long, so a fleet worker keeps no stale connections around.
  timeout: 15_000,
  // No cap below what is open: a host's idle sockets are at most its checks in flight at once (bounded
  // by the worker's concurrency). With 64, a whole-second burst of checks to one host closed all but 64
  // of its connections after each tick and opened them again at the next (BENCHMARKS.md, issue #15).
  maxFreeSockets: Number.POSITIVE_INFINITY,
  scheduling: "lifo" as const,
};

export const createHttpExecutor: ExecutorFactory<"http"> = ({ guard, userAgent }) => {
  // Shared keep-alive pools: a worker checking the same host every interval reuses its connection
  // instead of paying DNS + TCP + TLS each time. Every new socket goes through the guard (the agents
  // check IP literals and force its lookup), so redirect hops are vetted wherever they lead.
  const httpAgent = new GuardedHttpAgent(guard, AGENT_OPTIONS);
  const verifying = new GuardedHttpsAgent(guard, { ...AGENT_OPTIONS, rejectUnauthorized: true });
  const trusting = new GuardedHttpsAgent(guard, { ...AGENT_OPTIONS, rejectUnauthorized: false });

  return {
    run: (spec, context) =>
      runHttpCheck(
        spec,
        new HttpExchange(spec.url, {
          method: spec.method,
          headers: requestHeaders(userAgent, spec.headers),
          body: requestBody(spec),
          followRedirects: spec.followRedirects,
          agents: { http: httpAgent, https: spec.verifyTls ? verifying : trusting },
          signal: context.signal,
        }),
        context,
      ),
    close() {
      httpAgent.destroy();
      verifying.destroy();
      trusting.destroy();
    },
  };
};

async function runHttpCheck(spec: HttpCheckSpec, exchange: HttpExchange, context: RunContext): Promise<CheckResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let httpStatus: number | null = null;
  try {
    httpStatus = (await exchange.response()).statusCode!;
    // Without a keyword only the bytes are counted: no text is built for nobody to search.
    const body = await exchange.body(spec.keyword !== null);
    const responseMs = elapsed();
    return judge(spec, exchange, httpStatus, body, responseMs);
  } catch (error) {
    exchange.destroy();
    return failure(
      error,
      { timeoutMs: spec.timeoutMs, ...context },
      {
        httpStatus,
        timings: exchange.timings(elapsed()),
        details: { url: publicUrl(exchange.requestUrl), redirects: exchange.redirects },
      },
    );
  }
}

function judge(
  spec: HttpCheckSpec,
  exchange: HttpExchange,
  httpStatus: number,
  body: ResponseBody,
  responseMs: number,
): CheckResult {
  const reusedConnection = exchange.reusedConnection;
  const details: Record<string, unknown> = {
    url: publicUrl(exchange.url),
    redirects: exchange.redirects,
    ip: exchange.ip,
    bodyBytes: body.bytes,
    reusedConnection,
    ...(body.truncated ? { bodyTruncated: true } : {}),
  };
  const base = { responseMs, httpStatus, timings: exchange.timings(responseMs), details };
  const expected = parseExpectedStatus(spec.expectedStatus) ?? parseExpectedStatus("200-299")!;
  if (!matchesExpectedStatus(expected, httpStatus)) {
    return {
      ...base,
      status: "down",
      error: "status",
      message: `Expected status ${spec.expectedStatus}, got ${httpStatus}`,
    };
  }
  if (spec.keyword !== null) {
    const found = body.text.includes(spec.keyword);
    if (found === spec.keywordNegate) {
      const where = body.truncated ? ` in the first ${BODY_LIMIT_BYTES} bytes` : "";
      return {
        ...base,
        status: "down",
        error: "keyword",
        message: found
          ? `Keyword "${spec.keyword}" found${where} but must be absent`
          : `Keyword "${spec.keyword}" not found${where}`,
      };
    }
  }
  return { ...base, ...upOrDegraded(responseMs, spec.responseTimeThresholdMs) };
}

/** The URL for check history, without credentials a monitor URL may carry (https://user:pass@host/). */
function publicUrl(url: URL): string {
  const copy = new URL(url);
  copy.username = "";
  copy.password = "";
  return copy.toString();
}
