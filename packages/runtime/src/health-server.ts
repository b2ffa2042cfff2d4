import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";
import { checkReadiness, type Probe } from "./readiness.ts";

/**
 * `/healthz`, `/readyz` and `/metrics` for processes that serve no HTTP of their own (worker,
 * alerter). Plain node:http: three routes do not need a framework.
 */
export async function startHealthServer(options: {
  port: number;
  host?: string;
  probes: Probe[];
  metrics: Registry;
}): Promise<Server> {
  const server = createServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const send = (status: number, body: string, type = "application/json") => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      res.end(body);
    };
    if (req.method !== "GET" && req.method !== "HEAD")
      return send(405, JSON.stringify({ error: "method_not_allowed" }));
    if (path === "/healthz") return send(200, JSON.stringify({ status: "ok" }));
    if (path === "/readyz") {
      const readiness = await checkReadiness(options.probes);
      return send(
        readiness.ready ? 200 : 503,
        JSON.stringify({ status: readiness.ready ? "ok" : "unavailable", ...readiness }),
      );
    }
    if (path === "/metrics") return send(200, await options.metrics.metrics(), options.metrics.contentType);
    return send(404, JSON.stringify({ error: "not_found" }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "0.0.0.0", resolve);
  });
  return server;
}
