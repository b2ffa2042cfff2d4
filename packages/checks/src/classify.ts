import type { CheckResult, ErrorClass } from "./result.ts";

const DNS_CODES = new Set([
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_FAIL",
  "EAI_NONAME",
  "EAI_NODATA",
  "ENODATA",
  "ESERVFAIL",
  "EREFUSED",
  "ENOTIMP",
  "ETIMEOUT", // c-ares' resolver timeout, not a connect timeout
]);
const RESET_CODES = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED", "ERR_STREAM_PREMATURE_CLOSE"]);
// Certificate problems (CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT, UNABLE_TO_VERIFY_LEAF_SIGNATURE,
// ERR_TLS_CERT_ALTNAME_INVALID, …) and handshake failures (ERR_SSL_*, EPROTO from OpenSSL).
const TLS_CODE = /CERT|^ERR_TLS_|^ERR_SSL_|^EPROTO$|SIGNATURE|^UNABLE_TO_/;
const INVALID_RESPONSE_CODE = /^HPE_|^ERR_HTTP_CONTENT_LENGTH_MISMATCH$|^ERR_INVALID_HTTP_RESPONSE$/;

type Coded = { code?: unknown; cause?: unknown; errors?: unknown; message?: unknown };

/**
 * The first error code found, looking into an error's `cause` when it has none, and into the first of
 * the errors of an AggregateError (Node's happy-eyeballs connect), whose own code may be missing.
 */
export function errorCode(error: unknown): string | undefined {
  let current = error as Coded | undefined;
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.code === "string") return current.code;
    if (Array.isArray(current.errors) && current.errors.length > 0) current = current.errors[0] as Coded;
    else current = current.cause as Coded | undefined;
  }
  return undefined;
}

export function classifyCode(code: string | undefined): ErrorClass {
  if (!code) return "unknown";
  if (code === "EBLOCKED") return "blocked_address";
  if (code === "ETIMEDOUT") return "timeout";
  if (code === "ECONNREFUSED") return "connection_refused";
  if (code === "ERR_TOO_MANY_REDIRECTS") return "too_many_redirects";
  if (DNS_CODES.has(code)) return "dns";
  if (RESET_CODES.has(code)) return "connection_reset";
  if (TLS_CODE.test(code)) return "tls";
  if (INVALID_RESPONSE_CODE.test(code)) return "invalid_response";
  return "unknown";
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors[0] instanceof Error) return error.errors[0].message;
  if (error instanceof Error && error.message) return error.message;
  return String(error);
}

/** A failed check from a thrown error; `deadline` says whether the check's own timeout cut it short. */
export function failure(
  error: unknown,
  context: { timeoutMs: number; deadline: AbortSignal; signal: AbortSignal },
  extra: Partial<CheckResult> = {},
): CheckResult {
  const code = errorCode(error);
  let errorClass = classifyCode(code);
  let message = messageOf(error);
  if (context.deadline.aborted || errorClass === "timeout") {
    errorClass = "timeout";
    message = `No answer within ${context.timeoutMs} ms`;
  } else if (context.signal.aborted) {
    errorClass = "unknown";
    message = "Check cancelled before it finished";
  }
  return {
    status: "down",
    responseMs: null,
    httpStatus: null,
    error: errorClass,
    message,
    timings: {},
    ...extra,
    details: { ...(code ? { code } : {}), ...extra.details },
  };
}
