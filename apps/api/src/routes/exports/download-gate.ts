import { RateLimitedError, UnavailableError } from "@upfleet/errors";
import type { RedisConnection } from "@upfleet/queue/redis";

/** One download per export per minute, whoever holds a link to it. */
export const DOWNLOAD_INTERVAL_MS = 60_000;

/**
 * Takes the export's download slot for a minute, in Redis so every API instance shares it: a leaked
 * link (a proxy log, a pasted URL) cannot be replayed in a loop, and the owner's own retry waits.
 * Throws RateLimitedError with the seconds left while the slot is taken.
 */
export async function takeDownloadSlot(redis: RedisConnection, prefix: string, exportId: string): Promise<void> {
  const key = `${prefix}:export-download:${exportId}`;
  let taken: string | null;
  let leftMs: number;
  try {
    taken = await redis.set(key, "1", "PX", DOWNLOAD_INTERVAL_MS, "NX");
    if (taken === "OK") return;
    leftMs = await redis.pttl(key);
  } catch (error) {
    throw new UnavailableError("Redis", error);
  }
  throw new RateLimitedError(Math.max(1, Math.ceil((leftMs > 0 ? leftMs : DOWNLOAD_INTERVAL_MS) / 1000)));
}
