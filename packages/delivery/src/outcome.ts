import { scheduledDelay } from "./retry-schedule.ts";

/** Why a send did not reach a receiver's answer. */
export type FailureReason =
  /** No complete answer within the send timeout. */
  | "timeout"
  /** DNS, refused or reset connection, TLS: the receiver may be back later. */
  | "network"
  /** The SSRF guard refused the address the URL resolves to. */
  | "blocked_address"
  /** The channel's stored config cannot be sent to (a hand-edited row, a type without its fields). */
  | "invalid_config"
  /** The deployment lacks what the channel needs (SMTP_URL for email). */
  | "not_configured"
  /** The mail server refused the message for good (an SMTP 5xx). */
  | "rejected"
  /** The mail server said try later (an SMTP 4xx). */
  | "deferred";

/** What a sender reports; classifyAttempt decides what it means. */
export type SendResult =
  | { kind: "response"; status: number; retryAfter: string | null }
  | { kind: "accepted" }
  | { kind: "error"; reason: FailureReason; message: string };

/**
 * Failures that no retry can mend. A blocked address is one: the URL passed the write-time check,
 * so its DNS now points inside the network, and five more attempts would only probe it again.
 */
const PERMANENT: ReadonlySet<FailureReason> = new Set([
  "blocked_address",
  "invalid_config",
  "not_configured",
  "rejected",
]);

/** A receiver asking for more than this gets it capped: an event hours late has lost its point. */
export const RETRY_AFTER_CAP_MS = 2 * 3_600_000;

export interface AttemptDecision {
  status: "succeeded" | "failed";
  responseStatus: number | null;
  error: string | null;
  /** Wait before the next attempt; null when there is none (success, last attempt, permanent). */
  retryInMs: number | null;
  /** Set when the receiver said the endpoint is gone for good (410): the channel is disabled. */
  disableReason: string | null;
}

/**
 * `Retry-After` as milliseconds from `now`: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Null when absent or unreadable, so the schedule applies.
 */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1_000, RETRY_AFTER_CAP_MS);
  if (!/[a-z]/i.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(0, at - now), RETRY_AFTER_CAP_MS);
}

const HONOURS_RETRY_AFTER = new Set([429, 503]);

function responseError(status: number): string {
  if (status >= 300 && status < 400) return `HTTP ${status}: redirects are not followed`;
  if (status === 410) return "HTTP 410 Gone: the channel was disabled";
  return `HTTP ${status}`;
}

/**
 * What one attempt's result means (API.md "Notifications", as in the Standard Webhooks spec):
 * 2xx succeeds; 410 disables the channel; any other answer, a timeout or a network error is retried
 * on the schedule, or after `Retry-After` on a 429/503; permanent failures are not retried.
 */
export function classifyAttempt(
  result: SendResult,
  context: { attempt: number; delays: readonly number[]; now: number },
): AttemptDecision {
  const next = scheduledDelay(context.delays, context.attempt);
  if (result.kind === "accepted") {
    return { status: "succeeded", responseStatus: null, error: null, retryInMs: null, disableReason: null };
  }
  if (result.kind === "error") {
    const permanent = PERMANENT.has(result.reason);
    return {
      status: "failed",
      responseStatus: null,
      error: result.message,
      retryInMs: permanent ? null : next,
      disableReason: null,
    };
  }
  const { status } = result;
  if (status >= 200 && status < 300) {
    return { status: "succeeded", responseStatus: status, error: null, retryInMs: null, disableReason: null };
  }
  if (status === 410) {
    return {
      status: "failed",
      responseStatus: status,
      error: responseError(status),
      retryInMs: null,
      disableReason: "The receiver answered 410 Gone",
    };
  }
  const asked = HONOURS_RETRY_AFTER.has(status) ? parseRetryAfter(result.retryAfter, context.now) : null;
  return {
    status: "failed",
    responseStatus: status,
    error: responseError(status),
    retryInMs: next === null ? null : (asked ?? next),
    disableReason: null,
  };
}
