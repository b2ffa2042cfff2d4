/** What a ping may carry (API.md: bodies up to 10 KiB are stored, truncated beyond, never refused). */
export const PING_BODY_LIMIT = 10 * 1024;

export interface PingBody {
  /** The stored text, or null for an empty body. */
  text: string | null;
  /** How many bytes came, the discarded ones included. */
  bytes: number;
  truncated: boolean;
}

/**
 * The stored form of a body's first bytes: UTF-8, lossy. Bytes that are not UTF-8 (a binary body)
 * become U+FFFD, as Healthchecks.io stores them, and so does NUL, which PostgreSQL text cannot hold.
 * A character cut by the truncation is dropped rather than stored half.
 */
export function decodePingBody(bytes: Uint8Array, truncated: boolean): string | null {
  if (bytes.length === 0) return null;
  const decoder = new TextDecoder("utf-8");
  // `stream` keeps a trailing incomplete sequence back instead of turning it into U+FFFD.
  const text = decoder.decode(bytes, { stream: truncated });
  return text.replaceAll("\u0000", "\uFFFD");
}

/**
 * Reads a request body to its end, keeping the first `limit` bytes and discarding the rest, so a
 * client sending 10 MB still gets its answer (and its keep-alive connection stays usable).
 */
export async function readPingBody(stream: AsyncIterable<Buffer>, limit = PING_BODY_LIMIT): Promise<PingBody> {
  const kept = Buffer.allocUnsafe(limit);
  let used = 0;
  let bytes = 0;
  for await (const chunk of stream) {
    bytes += chunk.length;
    if (used < limit) used += chunk.copy(kept, used, 0, Math.min(chunk.length, limit - used));
  }
  const truncated = bytes > limit;
  return { text: decodePingBody(kept.subarray(0, used), truncated), bytes, truncated };
}
