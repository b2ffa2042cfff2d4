import { describe, expect, it } from "vitest";
import { maskConfig, maskSecret, maskUrl } from "./mask.ts";
import { generateWebhookSecret } from "./secret.ts";

describe("masking", () => {
  it("keeps a generated secret's whsec_ prefix and last 4 characters only", () => {
    const secret = generateWebhookSecret();
    expect(maskSecret(secret, { generated: true })).toBe(`whsec_••••${secret.slice(-4)}`);
  });

  it("keeps none of a secret the user typed, whsec_ or not", () => {
    expect(maskSecret("my-own-shared-secret-1234")).toBe("••••");
    expect(maskSecret(generateWebhookSecret())).toBe("whsec_••••");
  });

  it("leaves a masked secret or URL as it is (stored configs are kept masked)", () => {
    expect(maskSecret("whsec_••••abcd")).toBe("whsec_••••abcd");
    expect(maskUrl("https://hooks.slack.com/••••")).toBe("https://hooks.slack.com/••••");
  });

  it("shows no tail of a short secret", () => {
    expect(maskSecret("short")).toBe("••••");
  });

  it("keeps a URL's scheme and host (with its port), never its path, query or user info", () => {
    expect(maskUrl("https://hooks.slack.com/services/T0/B0/XyZ")).toBe("https://hooks.slack.com/••••");
    expect(maskUrl("http://user:pw@example.com:8080/hook?token=abc")).toBe("http://example.com:8080/••••");
  });

  it("masks each type's secret fields and leaves email addresses readable", () => {
    expect(maskConfig({ type: "discord", config: { webhook_url: "https://discord.com/api/webhooks/1/abc" } })).toEqual({
      webhook_url: "https://discord.com/••••",
    });
    expect(maskConfig({ type: "email", config: { to: ["ops@example.com"] } })).toEqual({ to: ["ops@example.com"] });
    expect(
      maskConfig({ type: "webhook", config: { url: "https://u:p@hooks.example.com/x", secret: "typed-secret-12345" } }),
    ).toEqual({ url: "https://hooks.example.com/••••", secret: "••••" });
  });
});

describe("generateWebhookSecret", () => {
  it("is whsec_ and the base64 of 32 random bytes, different every time", () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), "base64")).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });
});
