import { z } from "zod";
import { DEFAULT_RETRY_DELAYS, parseRetryDelays } from "./retry-schedule.ts";

const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);

/** A variable read by `parse`, whose error message becomes the variable's configuration error. */
function parsedText<T>(parse: (text: string) => T, fallback: string) {
  return z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .default(fallback)
      .transform((text, ctx) => {
        try {
          return parse(text);
        } catch (error) {
          ctx.addIssue({ code: "custom", message: (error as Error).message });
          return z.NEVER;
        }
      }),
  );
}

/**
 * The environment a process that sends notifications reads (the alerter; the API for test sends),
 * spread into its own schema so every variable is checked at start. OUTBOUND_ALLOW_CIDRS, which
 * receivers' addresses are checked against, is the channels package's AllowCidrsEnv.
 */
export const deliveryEnv = {
  /** Waits before attempts 2, 3, …: API.md's schedule by default; tests shorten it. */
  NOTIFICATION_RETRY_DELAYS: parsedText(parseRetryDelays, DEFAULT_RETRY_DELAYS),
  /** Email channels' transport (`smtp://user:pass@host:port`, `smtps://…`); without it email fails. */
  SMTP_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((value) => /^smtps?:\/\/[^/]/.test(value) && URL.canParse(value), "must be an smtp:// or smtps:// URL")
      .optional(),
  ),
  /** The From of notification emails; defaults to alerts@ the PUBLIC_URL's host. */
  SMTP_FROM: z.preprocess(emptyAsUndefined, z.string().min(3).max(254).optional()),
};
