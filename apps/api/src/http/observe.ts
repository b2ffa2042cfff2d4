import type { Logger } from "@upfleet/logger";
import type { RequestHandler } from "express";
import { pinoHttp } from "pino-http";
import { Histogram, type Registry } from "prom-client";

/**
 * The path alone, never the query string: query strings carry credentials (an export's download
 * `token`), and request logs are read by more people, and kept longer, than the credentials are meant to be.
 */
function loggedPath(url: string | undefined): string {
  const path = url ?? "";
  const queryAt = path.search(/[?#]/);
  return queryAt === -1 ? path : path.slice(0, queryAt);
}

/** One JSON log line per request, carrying the request id; 5xx at error, 4xx at info. */
export function requestLogger(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (_req, res) => (res as unknown as { locals: { requestId: string } }).locals.requestId,
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? "error" : "info"),
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, path: loggedPath(req.url) }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
  });
}

/** Request latency by route template (never the raw path: ids would explode the label set). */
export function requestMetrics(registry: Registry): RequestHandler {
  const histogram = new Histogram({
    name: "upfleet_http_request_duration_seconds",
    help: "API request duration by method, route and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return (req, res, next) => {
    const end = histogram.startTimer();
    res.on("finish", () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? "unmatched";
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}
