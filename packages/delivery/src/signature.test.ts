import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { bodySignature, standardSignature, webhookHeaders } from "./signature.ts";

/** The snippet receivers copy from docs (GitHub's "validating webhook deliveries", in Node). */
function verifyPublishedSnippet(secret: string, rawBody: string, header: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`);
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const body = JSON.stringify({ event: "monitor.down", monitor: { name: "Café ☕" } });

describe("webhook signatures", () => {
  it("signs the raw body so the published Node snippet verifies it", () => {
    const secret = "my shared secret";
    expect(verifyPublishedSnippet(secret, body, bodySignature(body, secret))).toBe(true);
    expect(verifyPublishedSnippet(secret, `${body} `, bodySignature(body, secret))).toBe(false);
    expect(verifyPublishedSnippet("other", body, bodySignature(body, secret))).toBe(false);
  });

  it("gives Standard Webhooks headers the standardwebhooks library verifies, whsec_ secret", () => {
    const secret = `whsec_${randomBytes(32).toString("base64")}`;
    const headers = webhookHeaders({
      id: "ntf_1",
      event: "monitor.down",
      body,
      secret,
      timestampSeconds: nowSeconds(),
    });
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(body.replace("down", "up"), headers)).toThrow();
  });

  it("keys a secret without whsec_ with the string as written", () => {
    const secret = "plain-secret";
    const headers = webhookHeaders({ id: "ntf_2", event: "monitor.up", body, secret, timestampSeconds: nowSeconds() });
    expect(new Webhook(secret, { format: "raw" }).verify(body, headers)).toEqual(JSON.parse(body));
    expect(verifyPublishedSnippet(secret, body, headers["x-signature-256"]!)).toBe(true);
  });

  it("matches the Standard Webhooks spec's example vector", () => {
    // From standard-webhooks' spec/tests: id msg_p5jXN8AQM9LWM0D4loKWxJek, timestamp 1614265330.
    const signature = standardSignature(
      "msg_p5jXN8AQM9LWM0D4loKWxJek",
      1614265330,
      '{"test": 2432232314}',
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    );
    expect(signature).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });

  it("names the event and itself, and leaves an unsigned message unsigned", () => {
    const headers = webhookHeaders({ id: "ntf_3", event: "test", body, secret: null, timestampSeconds: 1 });
    expect(headers).toEqual({
      "content-type": "application/json",
      "user-agent": "Upfleet-Webhooks/1",
      "x-upfleet-event": "test",
      "webhook-id": "ntf_3",
      "webhook-timestamp": "1",
    });
  });
});

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
