import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { Keyring } from "./keyring.ts";

/**
 * A value encrypted at rest: `enc:v1:<key id>:<iv>:<ciphertext + tag>`, base64url parts.
 * AES-256-GCM with a random 12-byte IV per value; the prefix up to the key id is authenticated too,
 * so a value cannot be passed off as another key's.
 */
const PREFIX = "enc:v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class DecryptError extends Error {
  override name = "DecryptError";
}

export function isEncrypted(value: unknown): value is string {
  return typeof value === "string" && value.startsWith(PREFIX);
}

export function encrypt(ring: Keyring, plaintext: string): string {
  const { id, key } = ring.current;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(`${PREFIX}${id}`));
  const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${PREFIX}${id}:${iv.toString("base64url")}:${sealed.toString("base64url")}`;
}

/** The key id a value was encrypted with (to tell what a rotation still has to rewrite). */
export function keyIdOf(value: string): string | null {
  if (!isEncrypted(value)) return null;
  return value.slice(PREFIX.length).split(":")[0] ?? null;
}

/** Throws DecryptError for an unknown key id, a malformed value or one that fails authentication. */
export function decrypt(ring: Keyring, value: string): string {
  if (!isEncrypted(value)) throw new DecryptError("not an encrypted value");
  const parts = value.slice(PREFIX.length).split(":");
  if (parts.length !== 3) throw new DecryptError("malformed encrypted value");
  const [id, ivText, sealedText] = parts as [string, string, string];
  const key = ring.byId.get(id);
  if (!key) throw new DecryptError(`encrypted with key "${id}", which ENCRYPTION_KEY does not list`);
  const iv = Buffer.from(ivText, "base64url");
  const sealed = Buffer.from(sealedText, "base64url");
  if (iv.length !== IV_BYTES || sealed.length < TAG_BYTES) throw new DecryptError("malformed encrypted value");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(`${PREFIX}${id}`));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new DecryptError(`encrypted value under key "${id}" failed authentication`);
  }
}

/** The value under the current key (a plaintext one encrypted); unchanged if it already is. */
export function reencrypt(ring: Keyring, value: string): string {
  if (!isEncrypted(value)) return encrypt(ring, value);
  if (keyIdOf(value) === ring.current.id) return value;
  return encrypt(ring, decrypt(ring, value));
}
