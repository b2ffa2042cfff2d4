import { z } from "zod";

/** Pings live outside /api/v1 (API.md "Heartbeats"): cron lines keep working across API versions. */
export const HEARTBEAT_BASE = "/api/heartbeat";
export const PING_METHODS = ["GET", "HEAD", "POST"] as const;

const Token = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,128}$/)
  .meta({ description: "The monitor's heartbeat_token" });

export const TokenParams = z.strictObject({ token: Token });

/** Any string: a bad exit code is a 400 naming `exit_code`, not the 404 of a path that cannot exist. */
export const ExitCodeParams = z.strictObject({
  token: Token,
  exit_code: z.string().meta({ description: "The job's exit code, 0–255: 0 is a success, anything else a failure" }),
});

/**
 * Only `rid` is read; other parameters (cache busters a cron line may carry) are ignored rather
 * than refused, since a refused ping would be a false alarm.
 */
export const PingQuery = z.object({
  rid: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .max(64, "must be at most 64 characters")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
      .regex(/^[^\u0000-\u001f\u007f]*$/, "must not contain control characters")
      .optional()
      .meta({ description: "Run id: pairs a /start with its finish, so overlapping runs get their own durations" }),
  ),
});

export const PingReply = z.object({ ok: z.literal(true) }).meta({ id: "PingReply" });

export const PING_DESCRIPTION =
  "Public: the token is the credential. GET, POST or HEAD, with any body (the first 10 KiB are stored as " +
  "UTF-8, bytes that are not UTF-8 as U+FFFD; the rest is read and discarded, never refused). Limited per " +
  "token and per client IP (429 with Retry-After); never counted against an API key.";
