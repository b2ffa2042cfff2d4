import { describe, expect, it } from "vitest";
import { generateKeyringText, parseKeyring } from "./keyring.ts";
import { keyedMac } from "./mac.ts";

const k1 = generateKeyringText("k1");
const k0 = generateKeyringText("k0");

describe("keyedMac", () => {
  it("signs with the current key and verifies only the same message", () => {
    const mac = keyedMac(parseKeyring(`${k1},${k0}`), "test");
    const signature = mac.sign("mon_a@eu@1000");
    expect(signature).toMatch(/^k1\.[A-Za-z0-9_-]{43}$/);
    expect(mac.verify("mon_a@eu@1000", signature)).toBeNull();
    expect(mac.verify("mon_b@eu@1000", signature)).toBe("signature");
    expect(mac.verify("mon_a@eu@1000", `${signature.slice(0, -2)}AA`)).toBe("signature");
    expect(mac.verify("mon_a@eu@1000", "k1.")).toBe("signature");
  });

  it("verifies what an earlier key signed while the ring lists it, and names a key it does not list", () => {
    const before = keyedMac(parseKeyring(k0), "test").sign("m");
    expect(keyedMac(parseKeyring(`${k1},${k0}`), "test").verify("m", before)).toBeNull();
    expect(keyedMac(parseKeyring(k1), "test").verify("m", before)).toBe("unknown_key");
    expect(keyedMac(parseKeyring(k1), "test").verify("m", "no-dot")).toBe("unknown_key");
  });

  it("derives a key per purpose", () => {
    const ring = parseKeyring(k1);
    expect(keyedMac(ring, "other").verify("m", keyedMac(ring, "test").sign("m"))).toBe("signature");
  });
});
