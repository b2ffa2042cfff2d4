import http from "node:http";
import https from "node:https";
import { GuardedHttpAgent, GuardedHttpsAgent, type OutboundGuard } from "@upfleet/outbound";
import type { FailureReason, SendResult } from "./outcome.ts";

/** API.md: a receiver has 10 s to answer. */
export const SEND_TIMEOUT_MS = 10_000;

export interface HttpPoster {
  /** POSTs `body` as is; never throws: every failure is a SendResult. */
  post(url: string, body: string, headers: Record<string, string>): Promise<SendResult>;
  close(): void;
}

const TIMEOUT_CODES = new Set(["ETIMEDOUT"]);

/** The innermost error code: a socket or guard error may come wrapped, keeping its own in `cause`. */
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
 *
 * Plain node:http rather than got: a POST with no retries, redirects, decompression or hooks needs
 * none of got's machinery, which cost about as much CPU per send as the rest of an attempt.
 */
export function createHttpPoster(options: { guard: OutboundGuard; timeoutMs?: number }): HttpPoster {
  const timeoutMs = options.timeoutMs ?? SEND_TIMEOUT_MS;
  // Keep-alive: a burst to one receiver (an outage, many monitors) reuses its connections.
  const agentOptions = { keepAlive: true, timeout: 30_000, maxFreeSockets: 256, scheduling: "lifo" as const };
  const httpAgent = new GuardedHttpAgent(options.guard, agentOptions);
  const httpsAgent = new GuardedHttpsAgent(options.guard, agentOptions);

  return {
    post(url, body, headers) {
      return new Promise<SendResult>((resolve) => {
        let answer: SendResult | undefined;
        let settled = false;
        const settle = (result: SendResult) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(result);
        };
        let target: URL;
        try {
          target = new URL(url);
        } catch (error) {
          settle({ kind: "error", ...failureOf(error, timeoutMs) });
          return;
        }
        const secure = target.protocol === "https:";
        const payload = Buffer.from(body);
        const request = (secure ? https : http).request(target, {
          method: "POST",
          agent: secure ? httpsAgent : httpAgent,
          headers: { ...headers, "content-length": String(payload.length) },
        });
        // The whole exchange, answer's body included, as got's `timeout.request` was.
        const timer = setTimeout(() => {
          // The status arrived; a body cut short by the timeout does not change what it said.
          settle(answer ?? { kind: "error", reason: "timeout", message: `No answer within ${timeoutMs} ms` });
          request.destroy();
        }, timeoutMs);
        request.on("response", (response) => {
          const retryAfter = response.headers["retry-after"];
          answer = {
            kind: "response",
            status: response.statusCode ?? 0,
            retryAfter: typeof retryAfter === "string" ? retryAfter : null,
          };
          // Drained without being kept: a receiver replying with gigabytes costs nothing but the
          // (bounded) time to read them.
          response.on("end", () => settle(answer!));
          response.on("error", () => settle(answer!));
          response.on("aborted", () => settle(answer!));
          response.resume();
        });
        request.on("error", (error) => settle(answer ?? { kind: "error", ...failureOf(error, timeoutMs) }));
        request.on("close", () => settle(answer ?? { kind: "error", reason: "network", message: "No response" }));
        request.end(payload);
      });
    },
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
