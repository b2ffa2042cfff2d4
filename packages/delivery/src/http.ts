import { GuardedHttpAgent, GuardedHttpsAgent, type OutboundGuard } from "@upfleet/outbound";
import { got } from "got";
import type { FailureReason, SendResult } from "./outcome.ts";

/** API.md: a receiver has 10 s to answer. */
export const SEND_TIMEOUT_MS = 10_000;

export interface HttpPoster {
  /** POSTs `body` as is; never throws: every failure is a SendResult. */
  post(url: string, body: string, headers: Record<string, string>): Promise<SendResult>;
  close(): void;
}

const TIMEOUT_CODES = new Set(["ETIMEDOUT", "ERR_GOT_TIMEOUT"]);

/** The innermost error code: got wraps socket and guard errors, keeping theirs in `cause`. */
function innermostCode(error: unknown): string | undefined {
  let current = error as { code?: unknown; cause?: unknown } | undefined;
  let found: string | undefined;
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.code === "string") found = current.code;
    current = current.cause as typeof current;
  }
  return found;
}

function failureOf(error: unknown, timeoutMs: number): { reason: FailureReason; message: string } {
  const code = innermostCode(error);
  if (code === "EBLOCKED") {
    const cause = (error as { cause?: Error }).cause;
    return { reason: "blocked_address", message: (cause ?? (error as Error)).message };
  }
  if (code && TIMEOUT_CODES.has(code)) return { reason: "timeout", message: `No answer within ${timeoutMs} ms` };
  const message = error instanceof Error ? error.message : String(error);
  return { reason: "network", message: code && !message.includes(code) ? `${code}: ${message}` : message };
}

/**
 * HTTP delivery through the SSRF guard: every socket (redirects are never followed anyway) connects
 * only to addresses the guard allows, checked on the address actually resolved at send time.
 */
export function createHttpPoster(options: { guard: OutboundGuard; timeoutMs?: number }): HttpPoster {
  const timeoutMs = options.timeoutMs ?? SEND_TIMEOUT_MS;
  // Keep-alive: a burst to one receiver (an outage, many monitors) reuses its connections.
  const agentOptions = { keepAlive: true, timeout: 30_000, maxFreeSockets: 256, scheduling: "lifo" as const };
  const http = new GuardedHttpAgent(options.guard, agentOptions);
  const https = new GuardedHttpsAgent(options.guard, agentOptions);
  const client = got.extend({
    method: "POST",
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    http2: false,
    cache: false,
    decompress: false,
    agent: { http, https },
    timeout: { request: timeoutMs },
  });

  return {
    post(url, body, headers) {
      return new Promise<SendResult>((resolve) => {
        let answer: SendResult | undefined;
        // A stream, so the answer's body is drained without being kept: a receiver replying with
        // gigabytes costs nothing but the (bounded) time to read them.
        const request = client.stream(url, { body, headers });
        request.on("response", (response: { statusCode: number; headers: Record<string, unknown> }) => {
          const retryAfter = response.headers["retry-after"];
          answer = {
            kind: "response",
            status: response.statusCode,
            retryAfter: typeof retryAfter === "string" ? retryAfter : null,
          };
        });
        request.on("error", (error) => {
          // The status arrived; a body cut short by the timeout does not change what it said.
          resolve(answer ?? { kind: "error", ...failureOf(error, timeoutMs) });
        });
        request.on("end", () => resolve(answer ?? { kind: "error", reason: "network", message: "No response" }));
        request.resume();
      });
    },
    close() {
      http.destroy();
      https.destroy();
    },
  };
}
