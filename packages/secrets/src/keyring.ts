import { randomBytes } from "node:crypto";

/** One AES-256 key and the id stored with every value it encrypts. */
interface Key {
  id: string;
  key: Buffer;
}

/** The first key encrypts; every key decrypts (older ones stay listed until `secrets:rotate` has run). */
export interface Keyring {
  current: Key;
  byId: ReadonlyMap<string, Key>;
}

export class KeyringError extends Error {
  override name = "KeyringError";
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const KEY_BYTES = 32;

/**
 * `kid1:<base64 of 32 bytes>,kid0:<…>` (ENCRYPTION_KEY). Errors name the entry, never the key
 * material, since they end up in logs.
 */
export function parseKeyring(text: string): Keyring {
  const entries = text
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new KeyringError("must list at least one key as <id>:<base64 of 32 bytes>");
  const keys: Key[] = entries.map((entry, i) => {
    const colon = entry.indexOf(":");
    const id = colon > 0 ? entry.slice(0, colon) : "";
    if (!KEY_ID.test(id)) {
      throw new KeyringError(`key ${i + 1} must be <id>:<base64 of 32 bytes>, the id of letters, digits, _ and -`);
    }
    const material = entry.slice(colon + 1);
    const key = Buffer.from(material, "base64");
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(material) || key.length !== KEY_BYTES) {
      throw new KeyringError(`key "${id}" must be the base64 of exactly ${KEY_BYTES} bytes`);
    }
    return { id, key };
  });
  const byId = new Map<string, Key>();
  for (const key of keys) {
    if (byId.has(key.id)) throw new KeyringError(`key id "${key.id}" is listed twice`);
    byId.set(key.id, key);
  }
  return { current: keys[0]!, byId };
}

/** The same ring with `extra` keys appended as decrypt-only (ids already present are left alone). */
export function withDecryptOnly(ring: Keyring, extra: Keyring): Keyring {
  const byId = new Map(ring.byId);
  for (const [id, key] of extra.byId) if (!byId.has(id)) byId.set(id, key);
  return { current: ring.current, byId };
}

/** A fresh keyring text with one key, for the development default and for operators (`secrets:keygen`). */
export function generateKeyringText(id: string): string {
  return `${id}:${randomBytes(KEY_BYTES).toString("base64")}`;
}
