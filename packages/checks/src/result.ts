import { z } from "zod";

export const CHECK_STATUSES = ["up", "degraded", "down"] as const;

/** Why a check failed, as stored in check history and sent in alerts (`error` in the API). */
export const ERROR_CLASSES = [
  "timeout",
  "dns",
  "dns_no_records",
  "dns_value_mismatch",
  "connection_refused",
  /** A router or the target answered a ping with an ICMP error (destination unreachable, and the like). */
  "host_unreachable",
  "connection_reset",
  "tls",
  "ssl_expired",
  "ssl_self_signed",
  "ssl_hostname_mismatch",
  "ssl_invalid",
  "status",
  "keyword",
  "assertion",
  "blocked_address",
  "too_many_redirects",
  "invalid_response",
  /** The monitor's settings make a check this worker cannot run (stored before a limit existed). */
  "invalid_settings",
  "unknown",
] as const;

export type CheckStatus = (typeof CHECK_STATUSES)[number];
export type ErrorClass = (typeof ERROR_CLASSES)[number];

const ms = z.number().nonnegative();

/** Phase durations in milliseconds; a phase that did not happen (e.g. dns on a reused socket) is absent. */
export const checkTimingsSchema = z.object({
  dns: ms.optional(),
  connect: ms.optional(),
  tls: ms.optional(),
  firstByte: ms.optional(),
  total: ms.optional(),
});

/** One check's outcome; results travel through the `results` queue and are parsed when dequeued. */
export const checkResultSchema = z.object({
  status: z.enum(CHECK_STATUSES),
  responseMs: ms.nullable(),
  httpStatus: z.number().int().nullable(),
  error: z.enum(ERROR_CLASSES).nullable(),
  message: z.string().nullable(),
  timings: checkTimingsSchema,
  details: z.record(z.string(), z.unknown()),
});

export type CheckTimings = z.output<typeof checkTimingsSchema>;
export type CheckResult = z.output<typeof checkResultSchema>;

/** Facts every HTTP and TCP success repeats (where it connected, how big the body was). */
const ROUTINE_DETAILS = new Set(["ip", "bodyBytes", "reusedConnection"]);

/**
 * What check history keeps of a result beyond its columns. A failure or a slow answer keeps all of
 * it, with its timings and the worker that ran it, to diagnose it by. A success keeps only what the
 * check found (DNS records, a certificate, API steps, where redirects led): at 10,000 monitors every
 * 30 s, routine facts on every success would be most of the table. Null when nothing is left.
 */
export function detailsToStore(result: CheckResult, workerId: string): Record<string, unknown> | null {
  if (result.status !== "up") return { ...result.details, timings: result.timings, worker: workerId };
  const found = Object.entries(result.details).filter(
    ([key]) => !ROUTINE_DETAILS.has(key) && !((key === "url" || key === "redirects") && !result.details.redirects),
  );
  return found.length ? Object.fromEntries(found) : null;
}
