import { createOutboundGuard, type InternalNames, internalNamesOf, type OutboundEnv } from "@upfleet/outbound";
import type { Keyring } from "@upfleet/secrets";
import type { ChannelTarget } from "./channel.ts";
import { createHttpPoster, SEND_TIMEOUT_MS } from "./http.ts";
import { createMailer, type Mailer } from "./mailer.ts";
import type { SendResult } from "./outcome.ts";
import { renderDiscord, renderSlack } from "./render/chat.ts";
import { renderEmail } from "./render/email.ts";
import { summarize } from "./render/summary.ts";
import { WEBHOOK_USER_AGENT, webhookHeaders } from "./signature.ts";

/** One notification as every attempt sends it. */
export interface OutgoingNotification {
  /** The webhook-id: the notification's id, the same on every attempt (a test send's delivery id). */
  id: string;
  event: string;
  /** API.md's JSON payload, rendered once by the fan-out. */
  payload: unknown;
}

export interface SendersOptions {
  /** OUTBOUND_ALLOW_CIDRS: non-public ranges receivers may sit in. */
  allowCidrs: string[];
  /** INTERNAL_DNS_SUFFIXES / INTERNAL_DNS_ALLOW_SUFFIXES: names refused before any lookup (built-ins by default). */
  internalNames?: InternalNames;
  /** Base of the links in chat and email messages. */
  publicUrl: string;
  smtpUrl?: string | undefined;
  smtpFrom?: string | undefined;
  timeoutMs?: number;
  /** ENCRYPTION_KEY: channels' secrets and URLs are stored encrypted and opened only to send. */
  keyring: Keyring;
}

export interface Senders {
  /** Sends one attempt; never throws (every failure is a SendResult). */
  send(target: ChannelTarget, message: OutgoingNotification): Promise<SendResult>;
  close(): void;
  readonly keyring: Keyring;
}

/** The environment senders are built from: outboundEnv, deliveryEnv's SMTP settings and PUBLIC_URL. */
export interface SendersEnv extends OutboundEnv {
  PUBLIC_URL: string;
  SMTP_URL?: string | undefined;
  SMTP_FROM?: string | undefined;
}

/** Senders as a process's environment configures them (the alerter's, and the API's for test sends). */
export function sendersFromEnv(env: SendersEnv, keyring: Keyring): Senders {
  return createSenders({
    allowCidrs: env.OUTBOUND_ALLOW_CIDRS,
    internalNames: internalNamesOf(env),
    publicUrl: env.PUBLIC_URL,
    smtpUrl: env.SMTP_URL,
    smtpFrom: env.SMTP_FROM,
    keyring,
  });
}

/** The senders of every channel type, sharing one guarded HTTP client and one SMTP transport. */
export function createSenders(options: SendersOptions): Senders {
  const timeoutMs = options.timeoutMs ?? SEND_TIMEOUT_MS;
  const guard = createOutboundGuard({
    allowCidrs: options.allowCidrs,
    ...(options.internalNames ? { internalNames: options.internalNames } : {}),
  });
  const http = createHttpPoster({ guard, timeoutMs });
  const mailer: Mailer | null = options.smtpUrl
    ? createMailer({
        smtpUrl: options.smtpUrl,
        from: options.smtpFrom ?? `Upfleet <alerts@${new URL(options.publicUrl).hostname}>`,
        timeoutMs,
      })
    : null;
  const chatHeaders = { "content-type": "application/json", "user-agent": WEBHOOK_USER_AGENT };

  return {
    keyring: options.keyring,
    async send(target, message) {
      switch (target.type) {
        case "webhook": {
          // Serialised once: the signatures cover exactly the bytes that go out.
          const body = JSON.stringify(message.payload);
          const headers = webhookHeaders({
            id: message.id,
            event: message.event,
            body,
            secret: target.secret,
            timestampSeconds: Math.floor(Date.now() / 1000),
          });
          return http.post(target.url, body, headers);
        }
        case "slack":
          return http.post(
            target.url,
            JSON.stringify(renderSlack(summarize(message.payload, options.publicUrl))),
            chatHeaders,
          );
        case "discord":
          return http.post(
            target.url,
            JSON.stringify(renderDiscord(summarize(message.payload, options.publicUrl))),
            chatHeaders,
          );
        case "email":
          if (!mailer) {
            return {
              kind: "error",
              reason: "not_configured",
              message: "Email is not configured (SMTP_URL is not set)",
            };
          }
          return mailer.send(target.to, renderEmail(summarize(message.payload, options.publicUrl)));
      }
    },
    close() {
      http.close();
      mailer?.close();
    },
  };
}
