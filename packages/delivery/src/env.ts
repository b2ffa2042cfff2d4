import { optional, parsedWith } from "@upfleet/config";
import { z } from "zod";
import { DEFAULT_RETRY_DELAYS, parseRetryDelays } from "./retry-schedule.ts";

/**
 * The environment a process that sends notifications reads (the alerter; the API for test sends),
 * spread into its own schema so every variable is checked at start. OUTBOUND_ALLOW_CIDRS, which
 * receivers' addresses are checked against, is each app's own (parseCidrList).
 */
export const deliveryEnv = {
  /** Waits before attempts 2, 3, …: API.md's schedule by default; tests shorten it. */
  NOTIFICATION_RETRY_DELAYS: parsedWith(parseRetryDelays, DEFAULT_RETRY_DELAYS),
  /** Email channels' transport (`smtp://user:pass@host:port`, `smtps://…`); without it email fails. */
  SMTP_URL: optional(
    z
      .string()
      .refine((value) => /^smtps?:\/\/[^/]/.test(value) && URL.canParse(value), "must be an smtp:// or smtps:// URL"),
  ),
  /** The From of notification emails; defaults to alerts@ the PUBLIC_URL's host. */
  SMTP_FROM: optional(z.string().min(3).max(254)),
};
