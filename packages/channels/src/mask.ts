import { type Credential, maskedDocument } from "@upfleet/secrets";
import type { ChannelConfig } from "./config.ts";

/**
 * Secrets and webhook URLs are write-only. Reads show enough to tell two channels apart and nothing
 * that could be replayed: a secret keeps its `whsec_` prefix, and only a secret Upfleet generated
 * keeps its last 4 characters (a typed one may be a password used elsewhere, whose tail is a hint);
 * a URL keeps its scheme and host (Slack and Discord put their credential in the path, others in
 * the query or user info). Both are idempotent: stored configs are kept masked in place (sealed, see
 * credentials.ts), and masking them again for a read changes nothing.
 */
export const MASK = "••••";

const MIN_LENGTH_TO_SHOW_TAIL = 16;

export function maskSecret(secret: string, options: { generated: boolean } = { generated: false }): string {
  if (secret.includes(MASK)) return secret;
  const prefix = secret.startsWith("whsec_") ? "whsec_" : "";
  const tail = options.generated && secret.length >= MIN_LENGTH_TO_SHOW_TAIL ? secret.slice(-4) : "";
  return `${prefix}${MASK}${tail}`;
}

export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}/${MASK}`;
  } catch {
    return MASK;
  }
}

/** Where a type's credentials sit in its config: every webhook URL is one, and its secret. */
export function channelCredentials(type: ChannelConfig["type"], options = { generatedSecret: false }): Credential[] {
  switch (type) {
    case "webhook":
      return [
        { path: ["url"], mask: maskUrl },
        { path: ["secret"], mask: (secret) => maskSecret(secret, { generated: options.generatedSecret }) },
      ];
    case "slack":
    case "discord":
      return [{ path: ["webhook_url"], mask: maskUrl }];
    case "email":
      return [];
  }
}

/** The config as reads show it (a config stored before encryption at rest masked too). */
export function maskConfig(channel: ChannelConfig): ChannelConfig["config"] {
  const credentials = channelCredentials(channel.type);
  switch (channel.type) {
    case "webhook": {
      const { url, secret } = maskedDocument(channel.config, credentials);
      return { url, secret };
    }
    case "slack":
    case "discord":
      return { webhook_url: maskedDocument(channel.config, credentials).webhook_url };
    case "email":
      return { to: [...channel.config.to] };
  }
}
