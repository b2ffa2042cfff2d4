import { describe, expect, it } from "vitest";
import { decrypt } from "./cipher.ts";
import { generateKeyringText, parseKeyring, withDecryptOnly } from "./keyring.ts";
import { maskUrlUserInfo, maskValue, userInfoOf, withUserInfo } from "./mask.ts";
import {
  type Credential,
  isSealed,
  MaskedValueError,
  maskedDocument,
  openDocument,
  rotateDocument,
  SEALED_FIELD,
  sealDocument,
} from "./sealed.ts";

const ring = parseKeyring(generateKeyringText("k1"));
const TOKEN = "Bearer abcdefghijklmnop-1234";

const doc = () => ({
  url: "https://user:pa55word@example.com/health?x=1",
  http_headers: { Authorization: TOKEN, Accept: "json" },
  name: "kept",
});
const credentials: Credential[] = [
  { path: ["url"], part: "userinfo" },
  { path: ["http_headers", "Authorization"] },
  { path: ["http_headers", "Accept"] },
];

describe("masking", () => {
  it("shows the last 4 characters of values of 16 or more only, and is idempotent", () => {
    expect(maskValue(TOKEN)).toBe("••••1234");
    expect(maskValue("short")).toBe("••••");
    expect(maskValue("••••1234")).toBe("••••1234");
    expect(maskValue("a-long-user-secret", { tail: false })).toBe("••••");
  });

  it("masks a URL's user info only, templates and all left as written", () => {
    expect(maskUrlUserInfo("http://user:pw@host:81/p?q#f")).toBe("http://••••@host:81/p?q#f");
    expect(maskUrlUserInfo("https://host/{{path}}")).toBe("https://host/{{path}}");
    expect(userInfoOf("https://a@b:c@host/x@y")).toBe("a@b:c");
    expect(withUserInfo("https://host/x", "u:p")).toBe("https://u:p@host/x");
  });
});

describe("sealed documents", () => {
  it("stores credentials masked in place and encrypted aside, and opens them again", () => {
    const sealed = sealDocument(doc(), credentials, ring);
    expect(JSON.stringify(sealed)).not.toContain("pa55word");
    expect(JSON.stringify(sealed)).not.toContain("abcdefghijklmnop");
    expect(sealed.url).toBe("https://••••@example.com/health?x=1");
    expect(sealed.http_headers).toEqual({ Authorization: "••••1234", Accept: "••••" });
    expect(isSealed(sealed)).toBe(true);
    expect(openDocument(sealed, ring)).toEqual(doc());
    expect(maskedDocument(sealed, credentials)).toEqual({
      url: "https://••••@example.com/health?x=1",
      http_headers: { Authorization: "••••1234", Accept: "••••" },
      name: "kept",
    });
  });

  it("masks a legacy (plaintext) document on read and passes it through open unchanged", () => {
    expect(isSealed(doc())).toBe(false);
    expect(maskedDocument(doc(), credentials).http_headers.Authorization).toBe("••••1234");
    expect(openDocument(doc(), ring)).toEqual(doc());
  });

  it("keeps stored values sent back masked, takes new ones, and refuses a masked value that does not match", () => {
    const stored = sealDocument(doc(), credentials, ring);
    const edited = {
      ...maskedDocument(stored, credentials),
      url: "https://••••@other.example.com/v2",
      http_headers: { Authorization: "••••1234", Accept: "text/plain" },
    };
    const resealed = sealDocument(edited, credentials, ring, stored);
    expect(openDocument(resealed, ring)).toEqual({
      url: "https://user:pa55word@other.example.com/v2",
      http_headers: { Authorization: TOKEN, Accept: "text/plain" },
      name: "kept",
    });
    const wrong = { ...edited, http_headers: { Authorization: "••••9999" } };
    expect(() => sealDocument(wrong, credentials, ring, stored)).toThrow(MaskedValueError);
    // The same against a legacy plaintext row: the masked form of its value keeps it (now encrypted).
    const fromLegacy = sealDocument(
      { ...doc(), http_headers: { Authorization: "••••1234" } },
      credentials,
      ring,
      doc(),
    );
    expect(openDocument(fromLegacy, ring).http_headers.Authorization).toBe(TOKEN);
  });

  it("drops a credential the new document no longer has", () => {
    const stored = sealDocument(doc(), credentials, ring);
    const sealed = sealDocument({ ...doc(), url: "https://example.com/", http_headers: {} }, credentials, ring, stored);
    expect((sealed as Record<string, unknown>)[SEALED_FIELD]).toEqual([]);
    expect(openDocument(sealed, ring).url).toBe("https://example.com/");
  });

  it("rotates sealed values to the current key and seals legacy documents", () => {
    const old = parseKeyring(generateKeyringText("k0"));
    const next = withDecryptOnly(parseKeyring(generateKeyringText("k2")), old);
    const stored = sealDocument(doc(), credentials, old);
    const rotated = rotateDocument(stored, credentials, next);
    expect(rotated.changed).toBe(true);
    const values = ((rotated.doc as Record<string, unknown>)[SEALED_FIELD] as { value: string }[]).map((e) => e.value);
    expect(values.every((v) => v.startsWith("enc:v1:k2:"))).toBe(true);
    expect(openDocument(rotated.doc, withDecryptOnly(next, ring))).toEqual(doc());
    expect(rotateDocument(rotated.doc, credentials, next).changed).toBe(false);
    const legacy = rotateDocument(doc(), credentials, next);
    expect(legacy.changed).toBe(true);
    expect(
      decrypt(next, ((legacy.doc as Record<string, unknown>)[SEALED_FIELD] as { value: string }[])[1]!.value),
    ).toBe(TOKEN);
  });
});
