import { createTransport } from "nodemailer";
import type { SendResult } from "./outcome.ts";
import type { RenderedEmail } from "./render/email.ts";

export interface Mailer {
  send(to: string[], email: RenderedEmail): Promise<SendResult>;
  close(): void;
}

/** SMTP over `smtpUrl` (nodemailer); a 5xx is a refusal for good, a 4xx a "try later". */
export function createMailer(options: { smtpUrl: string; from: string; timeoutMs: number }): Mailer {
  const transport = createTransport(options.smtpUrl, {
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
  });
  return {
    async send(to, email) {
      try {
        await transport.sendMail({ from: options.from, to, ...email });
        return { kind: "accepted" };
      } catch (error) {
        const { responseCode, code, message } = error as { responseCode?: number; code?: string; message: string };
        if (typeof responseCode === "number" && responseCode >= 500)
          return { kind: "error", reason: "rejected", message };
        if (typeof responseCode === "number") return { kind: "error", reason: "deferred", message };
        if (code === "ETIMEDOUT") return { kind: "error", reason: "timeout", message };
        return { kind: "error", reason: "network", message };
      }
    },
    close: () => transport.close(),
  };
}
