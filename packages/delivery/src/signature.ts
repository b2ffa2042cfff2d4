import { createHmac } from "node:crypto";

const WHSEC = "whsec_";

/** `sha256=<hex>`: HMAC-SHA256 of the raw body keyed with the secret string as written (GitHub's form). */
export function bodySignature(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/**
 * Standard Webhooks `v1,<base64>` over "id.timestamp.body". Its secrets are `whsec_<base64 key>`;
 * a secret in any other form is used as the key as written, so it still verifies with that string.
 */
export function standardSignature(id: string, timestampSeconds: number, body: string, secret: string): string {
  const key = secret.startsWith(WHSEC) ? Buffer.from(secret.slice(WHSEC.length), "base64") : Buffer.from(secret);
  const mac = createHmac("sha256", key).update(`${id}.${timestampSeconds}.${body}`).digest("base64");
  return `v1,${mac}`;
}

export interface WebhookMessage {
  /** Same on every attempt, so receivers can drop repeats (the notification id). */
  id: string;
  event: string;
  /** The exact bytes sent: signatures are over this string, never over a re-serialisation. */
  body: string;
  secret: string | null;
  timestampSeconds: number;
}

export const WEBHOOK_USER_AGENT = "Upfleet-Webhooks/1";

/** The headers of API.md's webhook delivery; without a secret nothing is signed. */
export function webhookHeaders(message: WebhookMessage): Record<string, string> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": WEBHOOK_USER_AGENT,
    "x-upfleet-event": message.event,
    "webhook-id": message.id,
    "webhook-timestamp": String(message.timestampSeconds),
  };
  if (message.secret) {
    headers["x-signature-256"] = bodySignature(message.body, message.secret);
    headers["webhook-signature"] = standardSignature(
      message.id,
      message.timestampSeconds,
      message.body,
      message.secret,
    );
  }
  return headers;
}
