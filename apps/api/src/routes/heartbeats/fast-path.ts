import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseQuery } from "node:querystring";
import { AppError, MethodNotAllowedError, NotFoundError } from "@upfleet/errors";
import { readPingBody } from "@upfleet/heartbeats";
import { Counter } from "prom-client";
import type { ApiDeps } from "../../deps.ts";
import { errorBody, toAppError } from "../../http/error-handler.ts";
import { requestIdFor } from "../../http/request-id.ts";
import { parseInput } from "../../http/validate.ts";
import { PING_OK, type PingRoute, pingSource, recordPing } from "./record.ts";
import { HEARTBEAT_BASE, PING_METHODS, PingQuery } from "./schema.ts";

const PREFIX = `${HEARTBEAT_BASE}/`;
const OK_JSON = JSON.stringify(PING_OK);
const allowed = new Set<string>(PING_METHODS);

interface Endpoint {
  /** The route's path split at `/`; `:name` segments are parameters. */
  segments: string[];
  route: PingRoute;
}

/** The ping paths in the routes' order (/start and /fail before /:exit_code, which matches them too), once each. */
function endpointsOf(routes: PingRoute[]): Endpoint[] {
  const byPath = new Map<string, PingRoute>();
  for (const route of routes) if (!byPath.has(route.path)) byPath.set(route.path, route);
  return [...byPath].map(([path, route]) => ({ segments: path.split("/"), route }));
}

/** The operations the fast path answers (HEAD too, which OpenAPI leaves implicit in GET). */
export function pingOperations(routes: PingRoute[]): string[] {
  return endpointsOf(routes).flatMap(({ route }) => PING_METHODS.map((method) => `${method} ${route.path}`));
}

/**
 * Everything at or under /api/heartbeat, whatever its case, as Express would route it: a client's
 * `/API/Heartbeat/<token>` is a ping and `PUT /api/heartbeat` a 405, as on any ping path.
 */
function isPingUrl(url: string): boolean {
  const next = url[HEARTBEAT_BASE.length];
  if (next !== undefined && next !== "/" && next !== "?") return false;
  return url.startsWith(HEARTBEAT_BASE) || url.slice(0, HEARTBEAT_BASE.length).toLowerCase() === HEARTBEAT_BASE;
}

/** Pings take GET, POST and HEAD, as cron lines use any of them; anything else is a 405. */
function assertPingMethod(method: string | undefined): void {
  if (!method || !allowed.has(method)) throw new MethodNotAllowedError(method ?? "", PING_METHODS);
}

/** Any body, of which the first 10 KiB are kept and the rest read and discarded; null when none came. */
async function readPingRequestBody(req: IncomingMessage): Promise<string | null> {
  // Most pings (curl -fsS URL) have no body: skip the stream machinery for them.
  const length = req.headers["content-length"];
  if (req.headers["transfer-encoding"] === undefined && (length === undefined || length === "0")) return null;
  return (await readPingBody(req)).text;
}

/** Matches as Express does: literal segments case-insensitively, parameters URI-decoded. */
function match(segments: string[], path: string[]): Record<string, string> | null {
  if (segments.length !== path.length) return null;
  const params: Record<string, string> = {};
  for (const [i, segment] of segments.entries()) {
    const part = path[i]!;
    if (segment.startsWith(":")) {
      try {
        params[segment.slice(1)] = decodeURIComponent(part);
      } catch {
        // Bad percent-encoding: a token (or code) that cannot exist.
        throw new NotFoundError("Heartbeat monitor");
      }
    } else if (segment.toLowerCase() !== part.toLowerCase()) return null;
  }
  return params;
}

function find(endpoints: Endpoint[], path: string[]): { endpoint: Endpoint; raw: Record<string, string> } | undefined {
  for (const endpoint of endpoints) {
    const raw = match(endpoint.segments, path);
    if (raw) return { endpoint, raw };
  }
  return undefined;
}

function send(res: ServerResponse, status: number, json: string, requestId: string, headers = {}): void {
  res.writeHead(status, {
    ...headers,
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(json),
    "X-Request-Id": requestId,
  });
  res.end(json);
}

/**
 * Heartbeat pings, served straight from node:http in front of Express, and only here: at thousands
 * of pings per second, Express's router and the per-request logger and latency histogram cost more
 * than the ping itself. The ping routes give the paths, params and query schemas; answers carry the
 * error shape and request id Express gives; pings are counted by status, and only refusals and
 * failures logged. Returns the request listener's first step: true when it took the request.
 */
export function pingFastPath(
  deps: ApiDeps,
  routes: PingRoute[],
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const endpoints = endpointsOf(routes);
  const answered = new Counter({
    name: "upfleet_heartbeat_requests_total",
    help: "Heartbeat ping requests answered, by status",
    labelNames: ["status"] as const,
    registers: [deps.metrics],
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = requestIdFor(req.headers["x-request-id"] as string | undefined);
    const url = req.url!;
    const queryAt = url.indexOf("?");
    const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
    const path = (pathname.length > PREFIX.length && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname).split(
      "/",
    );
    let endpoint: Endpoint | undefined;
    let bodyRead = false;
    try {
      assertPingMethod(req.method);
      const body = await readPingRequestBody(req);
      bodyRead = true;
      const found = find(endpoints, path);
      if (!found) throw new AppError("not_found", `No route ${req.method} ${pathname}`);
      endpoint = found.endpoint;
      const { token, signal } = endpoint.route.ping.parseParams(found.raw);
      const query = parseInput(PingQuery, queryAt === -1 ? {} : { ...parseQuery(url.slice(queryAt + 1)) });
      await recordPing(deps, {
        token,
        rid: query.rid ?? null,
        signal: signal(),
        ...pingSource(req, deps.config.TRUST_PROXY),
        body,
      });
      send(res, 200, OK_JSON, requestId);
      answered.inc({ status: "200" });
    } catch (error) {
      // A refused request's body is still read, so the connection stays usable.
      if (!bodyRead) req.resume();
      const appError = toAppError(error);
      // The route, not the path: the token in it is a credential.
      const fields = { requestId, method: req.method, route: endpoint?.route.path ?? "unmatched" };
      if (appError.status >= 500) deps.logger.error({ ...fields, err: error }, "ping failed");
      else deps.logger.info({ ...fields, status: appError.status, error: appError.code }, "ping refused");
      if (res.headersSent) res.end();
      else send(res, appError.status, JSON.stringify(errorBody(appError, requestId)), requestId, appError.headers);
      answered.inc({ status: String(appError.status) });
    }
  }

  return (req, res) => {
    if (!req.url || !isPingUrl(req.url)) return false;
    serve(req, res).catch((error: unknown) => deps.logger.error({ err: error }, "ping not answered"));
    return true;
  };
}
