import { createHash, randomInt } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const KEY_PREFIX = "upf_";
const RANDOM_LENGTH = 40;
/** `upf_` + 8 characters: enough to find the row, too little to matter if it leaks. */
const KEY_LOOKUP_LENGTH = 12;
const KEY_PATTERN = new RegExp(`^${KEY_PREFIX}[0-9A-Za-z]{${RANDOM_LENGTH}}$`);

/** `upf_` + 40 base62 characters (≈ 238 bits) drawn without modulo bias. */
export function generateRawKey(): string {
  let out = KEY_PREFIX;
  for (let i = 0; i < RANDOM_LENGTH; i++) out += BASE62[randomInt(BASE62.length)];
  return out;
}

export function looksLikeApiKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

export function keyLookupPrefix(rawKey: string): string {
  return rawKey.slice(0, KEY_LOOKUP_LENGTH);
}

/** The cache key for a verified raw key: never the key itself in memory maps or logs. */
export function keyFingerprint(rawKey: string): string {
  return createHash("sha256").update(rawKey).digest("base64url");
}
