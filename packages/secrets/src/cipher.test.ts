import { describe, expect, it } from "vitest";
import { DecryptError, decrypt, encrypt, isEncrypted, keyIdOf, reencrypt } from "./cipher.ts";
import { generateKeyringText, KeyringError, parseKeyring, withDecryptOnly } from "./keyring.ts";

const ring = (text: string) => parseKeyring(text);
const k1 = generateKeyringText("k1");
const k0 = generateKeyringText("k0");

describe("parseKeyring", () => {
  it("takes id:base64 entries, the first one encrypting", () => {
    const parsed = ring(`${k1}, ${k0}`);
    expect(parsed.current.id).toBe("k1");
    expect([...parsed.byId.keys()]).toEqual(["k1", "k0"]);
  });

  it("refuses short keys, missing ids and duplicate ids without echoing key material", () => {
    const short = Buffer.alloc(16).toString("base64");
    expect(() => ring(`k1:${short}`)).toThrow(KeyringError);
    expect(() => ring(`k1:${short}`)).not.toThrow(short);
    expect(() => ring(k1.slice(3))).toThrow(/must be <id>:/);
    expect(() => ring(`${k1},${k1}`)).toThrow(/listed twice/);
    expect(() => ring("")).toThrow(/at least one key/);
  });
});

describe("encrypt / decrypt", () => {
  it("round-trips with a random IV per value and the key id in the value", () => {
    const keys = ring(k1);
    const a = encrypt(keys, "Bearer s3cret");
    const b = encrypt(keys, "Bearer s3cret");
    expect(a).not.toBe(b);
    expect(a).toMatch(/^enc:v1:k1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$/);
    expect(a).not.toContain("s3cret");
    expect(isEncrypted(a)).toBe(true);
    expect(isEncrypted("Bearer s3cret")).toBe(false);
    expect(keyIdOf(a)).toBe("k1");
    expect(decrypt(keys, a)).toBe("Bearer s3cret");
    expect(decrypt(keys, encrypt(keys, ""))).toBe("");
  });

  it("refuses a tampered ciphertext, IV or key id", () => {
    const keys = ring(`${k1},${k0}`);
    const value = encrypt(keys, "top secret value");
    const [prefix, version, id, iv, sealed] = value.split(":") as [string, string, string, string, string];
    const flipped = Buffer.from(sealed, "base64url");
    flipped[0]! ^= 1;
    expect(() => decrypt(keys, [prefix, version, id, iv, flipped.toString("base64url")].join(":"))).toThrow(
      DecryptError,
    );
    const otherIv = Buffer.from(iv, "base64url");
    otherIv[0]! ^= 1;
    expect(() => decrypt(keys, [prefix, version, id, otherIv.toString("base64url"), sealed].join(":"))).toThrow(
      /failed authentication/,
    );
    // Claiming another listed key fails authentication, not just decryption into garbage.
    expect(() => decrypt(keys, [prefix, version, "k0", iv, sealed].join(":"))).toThrow(/failed authentication/);
    expect(() => decrypt(keys, `${value}:extra`)).toThrow(/malformed/);
  });

  it("refuses a value under a key id the ring does not list", () => {
    const value = encrypt(ring(k0), "x");
    expect(() => decrypt(ring(k1), value)).toThrow(/key "k0", which ENCRYPTION_KEY does not list/);
  });

  it("re-encrypts old-key and plaintext values under the current key, leaving current ones alone", () => {
    const old = ring(k0);
    const rotated = ring(`${k1},${k0}`);
    const underOld = encrypt(old, "v");
    const moved = reencrypt(rotated, underOld);
    expect(keyIdOf(moved)).toBe("k1");
    expect(decrypt(ring(k1), moved)).toBe("v");
    expect(reencrypt(rotated, moved)).toBe(moved);
    expect(decrypt(rotated, reencrypt(rotated, "plain"))).toBe("plain");
  });

  it("adds decrypt-only keys without changing the encrypting one", () => {
    const merged = withDecryptOnly(ring(k1), ring(k0));
    expect(merged.current.id).toBe("k1");
    expect(decrypt(merged, encrypt(ring(k0), "x"))).toBe("x");
  });
});
