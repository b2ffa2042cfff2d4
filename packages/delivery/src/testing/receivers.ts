// Test support (the "./testing" subpath, for tests only): receivers on loopback that record what arrives.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { Webhook } from "standardwebhooks";

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body as sent: signatures are checked against these exact bytes. */
  body: string;
  /** When it arrived (epoch ms). */
  at: number;
}

/** How the receiver answers one request; `hang` takes it and never answers. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  hang?: boolean;
}

export interface Receiver {
  /** Base URL; each test uses paths of its own (`${url}/hook-1`). */
  url: string;
  requests: ReceivedRequest[];
  /** The requests to one path, in arrival order. */
  at(path: string): ReceivedRequest[];
  /** Queues answers for a path, used in order; once used up the path answers 200 again. */
  answer(path: string, ...answers: Answer[]): void;
  /** Every request to this path gets this answer (until `answer` queues others). */
  always(path: string, answer: Answer): void;
  close(): Promise<void>;
}

/** An HTTP receiver on 127.0.0.1 for webhook, Slack and Discord deliveries. */
export async function startReceiver(): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const queued = new Map<string, Answer[]>();
  const standing = new Map<string, Answer>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = req.url ?? "/";
      requests.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
      const answer = queued.get(path)?.shift() ?? standing.get(path) ?? { status: 200 };
      if (answer.hang) return;
      res.writeHead(answer.status, answer.headers).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    at: (path) => requests.filter((r) => r.path === path),
    answer: (path, ...answers) => queued.set(path, [...(queued.get(path) ?? []), ...answers]),
    always: (path, answer) => standing.set(path, answer),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The whole message as the server received it (headers and MIME body). */
  raw: string;
}

export interface SmtpReceiver {
  /** For SMTP_URL. */
  url: string;
  messages: ReceivedMail[];
  close(): Promise<void>;
}

/** An in-process SMTP server on 127.0.0.1 that accepts every message (no TLS, no auth). */
export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const messages: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const envelope = session.envelope;
        messages.push({
          from: envelope.mailFrom ? envelope.mailFrom.address : "",
          to: envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The snippet receivers copy from docs for `X-Signature-256` (crypto.createHmac + timingSafeEqual). */
export function verifyBodySignature(secret: string, rawBody: string, header: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`);
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Verifies a received webhook both ways a receiver would: the published Node snippet for
 * X-Signature-256 and the standardwebhooks library. Returns the parsed payload; throws if either fails.
 */
export function verifyWebhook(secret: string, request: ReceivedRequest): unknown {
  if (!verifyBodySignature(secret, request.body, String(request.headers["x-signature-256"]))) {
    throw new Error("X-Signature-256 does not verify");
  }
  const webhook = secret.startsWith("whsec_") ? new Webhook(secret) : new Webhook(secret, { format: "raw" });
  return webhook.verify(request.body, request.headers as Record<string, string>);
}
