/**
 * The other side of `pnpm bench:alerting`, in a process of its own so its CPU is not counted as the
 * pipeline's: the monitored service (GET /m/<i>: 200 "ok", or 500 once told "bad") and the webhook
 * receiver (POST /hook/<channel>: 200, arrival time and event recorded). Reports {port} over IPC and
 * answers "bad" with the instant it turned bad, "received" with the webhooks received so far and
 * "count <path prefix>" with how many of them went to paths under the prefix.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  path: string;
  /** The webhook-id header: the same on every attempt of one notification. */
  id: string;
  event: string;
  monitorId: string | null;
  at: number;
}

let bad = false;
const received: Received[] = [];

const server = createServer((req, res) => {
  if (req.method === "GET") {
    const status = bad ? 500 : 200;
    res.writeHead(status, { "content-type": "text/plain", "content-length": "2" });
    res.end(bad ? "no" : "ok");
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const at = Date.now();
    let event = "?";
    let monitorId: string | null = null;
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { event?: string; monitor?: { id?: string } };
      event = body.event ?? "?";
      monitorId = body.monitor?.id ?? null;
    } catch {
      // Counted all the same: the bench reports what arrived.
    }
    received.push({ path: req.url ?? "/", id: String(req.headers["webhook-id"] ?? ""), event, monitorId, at });
    res.writeHead(200, { "content-length": "0" });
    res.end();
  });
});
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(0, "127.0.0.1", () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});

process.on("message", (message) => {
  if (message === "bad") {
    bad = true;
    process.send?.({ at: Date.now() });
  }
  if (message === "received") process.send?.({ received });
  if (typeof message === "string" && message.startsWith("count ")) {
    const prefix = message.slice("count ".length);
    process.send?.({ count: received.filter((r) => r.path.startsWith(prefix)).length });
  }
  if (message === "stop") process.exit(0);
});
process.on("disconnect", () => process.exit(0));
