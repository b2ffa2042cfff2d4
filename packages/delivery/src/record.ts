import { performance } from "node:perf_hooks";
import type { Db } from "@upfleet/db";
import { DecryptError, openDocument } from "@upfleet/secrets";
import { type ChannelTarget, channelTarget } from "./channel.ts";
import type { SendResult } from "./outcome.ts";
import type { OutgoingNotification, Senders } from "./senders.ts";

/** The channel columns a send needs. */
export interface StoredChannel {
  id: string;
  organizationId: string;
  type: string;
  config: unknown;
  enabled: boolean;
  disabledReason: string | null;
  deletedAt: Date | null;
}

const CHANNEL_FIELDS = {
  id: true,
  organizationId: true,
  type: true,
  config: true,
  enabled: true,
  disabledReason: true,
  deletedAt: true,
} as const;

/** The tenant's channel, deleted or not (the caller decides what a deleted one means). */
export function loadChannel(db: Db, organizationId: string, id: string): Promise<StoredChannel | null> {
  return db.notificationChannel.findFirst({ where: { id, organizationId }, select: CHANNEL_FIELDS });
}

/**
 * The channel's target with its secrets decrypted: the one place deliveries (and test sends) read
 * them. A secret under a key ENCRYPTION_KEY no longer lists is a config that cannot be sent to.
 */
function targetOf(senders: Senders, channel: StoredChannel): ChannelTarget | { error: string } {
  try {
    return channelTarget(channel.type, openDocument(channel.config, senders.keyring));
  } catch (error) {
    if (!(error instanceof DecryptError)) throw error;
    return { error: `The ${channel.type} channel's secrets cannot be decrypted (${error.message}); set them again` };
  }
}

/** Sends to a stored channel's target, timing it; a config that cannot be sent to is a failed send. */
export async function sendTimed(
  senders: Senders,
  channel: StoredChannel,
  message: OutgoingNotification,
): Promise<{ result: SendResult; durationMs: number }> {
  const target = targetOf(senders, channel);
  if ("error" in target) {
    return { result: { kind: "error", reason: "invalid_config", message: target.error }, durationMs: 0 };
  }
  const started = performance.now();
  const result = await senders.send(target, message);
  return { result, durationMs: Math.round(performance.now() - started) };
}
