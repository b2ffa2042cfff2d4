import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import type { Keyring } from "./keyring.ts";

/** Why a signature is refused: a key id the ring does not list, or a MAC that does not match. */
export type MacRefusal = "unknown_key" | "signature";

/** Signs short messages as `<key id>.<base64url HMAC-SHA256>`; `verify` answers null when the signature holds. */
export interface KeyedMac {
  sign(message: string): string;
  verify(message: string, signature: string): MacRefusal | null;
}

/**
 * HMAC keys derived (HKDF) from every key of the ring for one `purpose`, so a MAC never uses the
 * encryption key itself and two purposes never share a key. The current key signs and every listed
 * key verifies: a rotation keeps accepting what the previous key signed.
 */
export function keyedMac(ring: Keyring, purpose: string): KeyedMac {
  const derived = new Map<string, Buffer>();
  for (const [id, { key }] of ring.byId) {
    derived.set(id, Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), `upfleet mac: ${purpose}`, 32)));
  }
  const mac = (key: Buffer, message: string) => createHmac("sha256", key).update(message).digest();
  const currentId = ring.current.id;
  const current = derived.get(currentId) as Buffer;
  return {
    sign: (message) => `${currentId}.${mac(current, message).toString("base64url")}`,
    verify(message, signature) {
      const dot = signature.indexOf(".");
      const key = dot > 0 ? derived.get(signature.slice(0, dot)) : undefined;
      if (!key) return "unknown_key";
      const given = Buffer.from(signature.slice(dot + 1), "base64url");
      const expected = mac(key, message);
      return given.length === expected.length && timingSafeEqual(given, expected) ? null : "signature";
    },
  };
}
