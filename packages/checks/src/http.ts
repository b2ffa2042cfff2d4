import type { ClientRequest } from "node:http";
import type { Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { GuardedHttpAgent, GuardedHttpsAgent } from "@upfleet/outbound";
import { got, type Request, type Response } from "got";
import { failure } from "./classify.ts";
import { type ExecutorFactory, type RunContext, upOrDegraded } from "./executor.ts";
import { matchesExpectedStatus, parseExpectedStatus } from "./expected-status.ts";
import type { CheckResult, CheckTimings } from "./result.ts";
import type { HttpCheckSpec } from "./spec.ts";

/** Bytes of body read for the keyword search; past it the check stops reading (a 10 GB page is no check). */
export const BODY_LIMIT_BYTES = 1024 * 1024;
export const MAX_REDIRECTS = 10;

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

/** got as the checks use it: one attempt, no cache, and every status handed to the check to judge. */
export const checkClient = got.extend({
  retry: { limit: 0 },
  throwHttpErrors: false,
  maxRedirects: MAX_REDIRECTS,
  http2: false,
  cache: false,
  decompress: true,
});

export const createHttpExecutor: ExecutorFactory<"http"> = ({ guard, userAgent }) => {
  // Shared keep-alive pools: a worker checking the same host every interval reuses its connection
  // instead of paying DNS + TCP + TLS each time. Every new socket goes through the guard (the agents
  // check IP literals and force its lookup), so redirect hops are vetted wherever they lead.
  const httpAgent = new GuardedHttpAgent(guard, AGENT_OPTIONS);
  const verifying = new GuardedHttpsAgent(guard, { ...AGENT_OPTIONS, rejectUnauthorized: true });
  const trusting = new GuardedHttpsAgent(guard, { ...AGENT_OPTIONS, rejectUnauthorized: false });

  return {
    run: (spec, context) =>
      runHttpCheck(spec, context, (options) =>
        checkClient.stream(spec.url, {
          ...options,
          headers: { "user-agent": userAgent, ...spec.headers },
          agent: { http: httpAgent, https: spec.verifyTls ? verifying : trusting },
          https: { rejectUnauthorized: spec.verifyTls },
        }),
      ),
    close() {
      httpAgent.destroy();
      verifying.destroy();
      trusting.destroy();
    },
  };
};

type StreamOptions = {
  method: HttpCheckSpec["method"];
  body: string | undefined;
  allowGetBody: boolean;
  followRedirect: boolean;
  signal: AbortSignal;
  timeout: { request: number };
};

export function requestBody(spec: Pick<HttpCheckSpec, "method" | "body">): string | undefined {
  if (spec.method === "HEAD") return undefined;
  // got's stream waits for the caller to end the upload on methods that may carry a body (GET only when
  // allowGetBody is set); an empty body ends it.
  if (spec.body === null) return spec.method === "GET" ? undefined : "";
  return spec.body;
}

async function runHttpCheck(
  spec: HttpCheckSpec,
  context: RunContext,
  open: (options: StreamOptions) => Request,
): Promise<CheckResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let stream: Request | undefined;
  let response: Response | undefined;
  let reused = false;
  try {
    stream = open({
      method: spec.method,
      body: requestBody(spec),
      allowGetBody: spec.method === "GET" && spec.body !== null,
      followRedirect: spec.followRedirects,
      signal: context.signal,
      // Per hop in got; the runner's deadline (context.signal) bounds the whole check, redirects included.
      timeout: { request: spec.timeoutMs },
    });
    const request = stream;
    // A late second 'error' (after the first settled the check) must not become an uncaught exception.
    request.on("error", () => {});
    // got reports a pooled socket's original connect phases again; for this check no connect happened.
    request.on("request", (clientRequest: ClientRequest) =>
      clientRequest.once("socket", (socket: Socket) => {
        reused = !socket.connecting;
      }),
    );
    response = await new Promise<Response>((resolve, reject) => {
      request.once("response", resolve);
      request.once("error", reject);
    });
    const body = spec.method === "HEAD" ? { text: "", bytes: 0, truncated: false } : await readBody(request);
    const responseMs = elapsed();
    return judge(spec, response, body, responseMs, timingsOf(request, responseMs, reused), reused);
  } catch (error) {
    stream?.destroy();
    return failure(
      error,
      { timeoutMs: spec.timeoutMs, ...context },
      {
        httpStatus: response?.statusCode ?? null,
        timings: stream ? timingsOf(stream, elapsed(), reused) : {},
        details: stream ? { url: publicUrl(stream.requestUrl), redirects: stream.redirectUrls.length } : {},
      },
    );
  }
}

export async function readBody(stream: Request): Promise<{ text: string; bytes: number; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let truncated = false;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const room = BODY_LIMIT_BYTES - bytes;
    chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    bytes += Math.min(chunk.length, room);
    if (chunk.length >= room) {
      // Leaving the loop destroys the stream: that socket is not reused, which is the price of the cap.
      truncated = chunk.length > room || !stream.readableEnded;
      break;
    }
  }
  return { text: Buffer.concat(chunks).toString("utf8"), bytes, truncated };
}

function judge(
  spec: HttpCheckSpec,
  response: Response,
  body: { text: string; bytes: number; truncated: boolean },
  responseMs: number,
  timings: CheckTimings,
  reusedConnection: boolean,
): CheckResult {
  const httpStatus = response.statusCode;
  const details: Record<string, unknown> = {
    url: publicUrl(response.url),
    redirects: response.redirectUrls.length,
    ip: response.ip ?? null,
    bodyBytes: body.bytes,
    reusedConnection,
    ...(body.truncated ? { bodyTruncated: true } : {}),
  };
  const base = { responseMs, httpStatus, timings, details };
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
function publicUrl(url: URL | string | undefined): string | null {
  if (!url) return null;
  const copy = new URL(url);
  copy.username = "";
  copy.password = "";
  return copy.toString();
}

/**
 * got's phases of the final hop (dns, tcp → connect, tls, firstByte); total is the whole check, redirects
 * included. On a reused keep-alive socket there was no dns/connect/tls for this check, so they are left out.
 */
function timingsOf(stream: Request, totalMs: number, reused: boolean): CheckTimings {
  const phases = stream.timings?.phases;
  const timings: CheckTimings = { total: totalMs };
  if (!reused) {
    if (phases?.dns !== undefined) timings.dns = phases.dns;
    if (phases?.tcp !== undefined) timings.connect = phases.tcp;
    if (phases?.tls !== undefined) timings.tls = phases.tls;
  }
  if (phases?.firstByte !== undefined) timings.firstByte = phases.firstByte;
  return timings;
}
