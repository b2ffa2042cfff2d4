import { type Keyring, maskedDocument, sealDocument } from "@upfleet/secrets";
import type { ChannelConfig } from "./config.ts";
import { channelCredentials } from "./mask.ts";

type Config = Record<string, unknown>;

/**
 * The config to store: secrets and URLs masked in place and encrypted aside (packages/secrets), so
 * only the senders, which open it with ENCRYPTION_KEY, ever see them. `previous` is the stored config
 * being replaced: a field sent back in its masked form keeps its stored value.
 */
export function sealChannelConfig(
  channel: ChannelConfig,
  ring: Keyring,
  options: { previous?: unknown; generatedSecret?: boolean } = {},
): Config {
  const credentials = channelCredentials(channel.type, { generatedSecret: options.generatedSecret ?? false });
  return sealDocument(channel.config as Config, credentials, ring, options.previous);
}

/** The stored config as a client reads it, `_sealed` and all credentials masked. */
export function shownChannelConfig(type: ChannelConfig["type"], stored: unknown): Config {
  return maskedDocument((stored ?? {}) as Config, channelCredentials(type));
}
