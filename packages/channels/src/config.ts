import { z } from "zod";

/** What a client writes as a channel's `config`, one strict schema per type (API.md "Notifications"). */

export const CHANNEL_TYPES = ["webhook", "slack", "discord", "email"] as const;
export type ChannelTypeName = (typeof CHANNEL_TYPES)[number];

const MAX_EMAIL_RECIPIENTS = 20;

const HttpUrl = z
  .url({ protocol: /^https?$/, message: "must be an http:// or https:// URL" })
  .max(2048, "must be at most 2048 characters");

const STANDARD_WEBHOOKS_SECRET = /^whsec_[A-Za-z0-9+/]+={0,2}$/;

/**
 * A secret the receiver shares. A `whsec_…` one is keyed by its base64 part for the Standard Webhooks
 * signature, so that part must decode (24 bytes at least, the spec's minimum); any other string is
 * used as written.
 */
const WebhookSecret = z
  .string()
  .min(16, "must be at least 16 characters")
  .max(256, "must be at most 256 characters")
  .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces")
  .refine(
    (secret) =>
      !secret.startsWith("whsec_") ||
      (STANDARD_WEBHOOKS_SECRET.test(secret) && Buffer.from(secret.slice(6), "base64").length >= 24),
    "a whsec_ secret must be whsec_ followed by the base64 of at least 24 bytes",
  );

const EmailList = z
  .array(z.email("must be an email address").max(254))
  .min(1, "must list at least one address")
  .max(MAX_EMAIL_RECIPIENTS, `must list at most ${MAX_EMAIL_RECIPIENTS} addresses`)
  .transform((addresses) => [...new Set(addresses)]);

export const CHANNEL_CONFIGS = {
  webhook: z.strictObject({
    url: HttpUrl,
    secret: WebhookSecret.optional().meta({
      description: "Signs every delivery; a whsec_ secret is generated (and returned once) when omitted",
    }),
  }),
  slack: z.strictObject({ webhook_url: HttpUrl.meta({ description: "A Slack incoming-webhook URL" }) }),
  discord: z.strictObject({ webhook_url: HttpUrl.meta({ description: "A Discord webhook URL" }) }),
  email: z.strictObject({ to: EmailList }),
} as const;

/** A channel's type and configuration as stored: a webhook always has its secret. */
export type ChannelConfig =
  | { type: "webhook"; config: { url: string; secret: string } }
  | { type: "slack"; config: { webhook_url: string } }
  | { type: "discord"; config: { webhook_url: string } }
  | { type: "email"; config: { to: string[] } };

/** The config fields that hold an outbound URL, checked against the SSRF guard when written. */
export function urlFields(channel: ChannelConfig): { field: string; url: string }[] {
  switch (channel.type) {
    case "webhook":
      return [{ field: "url", url: channel.config.url }];
    case "slack":
    case "discord":
      return [{ field: "webhook_url", url: channel.config.webhook_url }];
    case "email":
      return [];
  }
}
