import type { ChannelConfig } from "./config.ts";

/**
 * Secrets and webhook URLs are write-only. Reads show enough to tell two channels apart and nothing
 * that could be replayed: a secret keeps its `whsec_` prefix and, when it is long enough that they
 * give nothing away, its last 4 characters; a URL keeps its scheme and host (Slack and Discord put
 * their credential in the path, others in the query or user info).
 */
export const MASK = "••••";

const MIN_LENGTH_TO_SHOW_TAIL = 16;

export function maskSecret(secret: string): string {
  const prefix = secret.startsWith("whsec_") ? "whsec_" : "";
  const tail = secret.length >= MIN_LENGTH_TO_SHOW_TAIL ? secret.slice(-4) : "";
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

/** The config as reads show it. */
export function maskConfig(channel: ChannelConfig): ChannelConfig["config"] {
  switch (channel.type) {
    case "webhook":
      return { url: maskUrl(channel.config.url), secret: maskSecret(channel.config.secret) };
    case "slack":
    case "discord":
      return { webhook_url: maskUrl(channel.config.webhook_url) };
    case "email":
      return { to: [...channel.config.to] };
  }
}
