import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from "@asteasolutions/zod-to-openapi";
import { ERROR_CODES } from "@upfleet/errors";
import { z } from "zod";
import { moveRequestDefaults } from "./request-defaults.ts";
import { type AnyRoute, fullPath, type ResponseSpec } from "./route.ts";

export const ErrorBody = z
  .object({
    error: z.enum(ERROR_CODES),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    request_id: z.string(),
  })
  .meta({ id: "Error" });

/** The document's tags, in the explorer's order: a route's `tag` must be one of these. */
const TAGS = {
  Accounts: "Sign-up, login and sessions, the calling account, and the organization's users",
  "API keys": "Keys for scripts and services, scoped and revocable; the raw key is shown once",
  Monitors: "HTTP, TCP, DNS, ping, TLS certificate, multi-step API and heartbeat monitors, their checks and uptime",
  Heartbeats: "Pings from cron jobs and scheduled tasks; the token in the path is the credential",
  "Maintenance windows": "Planned work: checks run but no incident opens and uptime leaves the time out",
  Incidents: "Opened and resolved by monitor state, or by hand; acknowledged to stop escalation",
  Notifications:
    "Channels (webhook, Slack, Discord, email), the rules that route events to them, escalation policies and the delivery log",
  Reports: "SLA figures per monitor over a period",
  Exports: "Check history, incidents and SLA as CSV, JSON or NDJSON files behind signed links",
  "Status pages": "Public pages and badges of chosen monitors, on our domain or yours",
  Fleet: "The deployment's regions and workers, for its operators",
  Service: "Health, readiness, metrics and this documentation",
} as const;

export type Tag = keyof typeof TAGS;

const RATE_LIMIT_HEADERS = {
  "X-RateLimit-Limit": { description: "Requests allowed per minute", schema: { type: "integer" as const } },
  "X-RateLimit-Remaining": { description: "Requests left in this minute", schema: { type: "integer" as const } },
  "X-RateLimit-Reset": { description: "Unix seconds when the minute resets", schema: { type: "integer" as const } },
  "X-RateLimit-Hour-Limit": { description: "Requests allowed per hour", schema: { type: "integer" as const } },
  "X-RateLimit-Hour-Remaining": { description: "Requests left in this hour", schema: { type: "integer" as const } },
  "X-RateLimit-Hour-Reset": { description: "Unix seconds when the hour resets", schema: { type: "integer" as const } },
};

/** The document's description: what every operation shares, the rate limit's rules among it. */
const DESCRIPTION = [
  "Uptime and cron-job monitoring. Errors share one shape; lists are `{data, next_cursor}`.",
  "## Rate limits",
  "Each API key (each user, for session tokens) has a budget per minute and per hour, shared by every " +
    "API instance; the `X-RateLimit-*` headers of every authenticated answer show what is left of both " +
    "(`X-RateLimit-Hour-*` for the hour), and a `429` carries `Retry-After`. Every request counts, " +
    "refused ones too, except a conditional GET answered `304 Not Modified`: a request that sends an " +
    "`ETag` it holds back in `If-None-Match` and finds nothing changed gives its point back (as on " +
    "GitHub), up to ten times the minute's limit of such answers a minute. So polling with ETags costs " +
    "only what changed. A conditional request still needs a point to be served: past the limit it is " +
    "refused like any other.",
].join("\n\n");

/** A response's headers: the rate limit's on authenticated routes, and those the route names. */
function headersOf(route: DocumentedRoute, spec: ResponseSpec) {
  const named = Object.entries(spec.headers ?? {}).map(([name, description]) => [
    name,
    { description, schema: { type: "string" as const } },
  ]);
  const headers = { ...(route.access !== "public" ? RATE_LIMIT_HEADERS : {}), ...Object.fromEntries(named) };
  return Object.keys(headers).length > 0 ? { headers } : {};
}

/**
 * What the document reads of a route: all of it but the handler, as heartbeat pings are described
 * here but served by their fast path, not by a route handler (and HEAD is documented for them).
 */
export type DocumentedRoute = Omit<AnyRoute, "handle" | "method"> & { method: AnyRoute["method"] | "head" };

/** Express `/keys/:id` → OpenAPI `/keys/{id}`. */
function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, "{$1}");
}

const errorContent = { "application/json": { schema: ErrorBody } };

/** A body that writes a resource's `key` (an object with it, or a union of such): a taken key is a 409. */
function writesKey(body: unknown): boolean {
  if (body instanceof z.ZodObject) return "key" in body.shape;
  if (body instanceof z.ZodUnion) return body.options.some(writesKey);
  return false;
}

/**
 * A route's own responses, then the errors every route of its kind can return, derived from its
 * access, params and body so that no route can forget one: a route names only what is its own.
 */
function responsesFor(route: DocumentedRoute): RouteConfig["responses"] {
  const responses: RouteConfig["responses"] = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const schema = spec.schema ?? (Number(status) >= 400 && !spec.contentType ? ErrorBody : undefined);
    const content = spec.contentType
      ? Object.fromEntries([spec.contentType].flat().map((type) => [type, { schema: z.string() }]))
      : schema && { "application/json": { schema } };
    responses[status] = {
      description: spec.description,
      ...(content && route.method !== "head" ? { content } : {}),
      ...headersOf(route, spec),
    };
  }
  const add = (status: number, description: string) => {
    responses[status] ??= { description, ...(route.method === "head" ? {} : { content: errorContent }) };
  };
  // Every route refuses query parameters (and body fields) it does not know, so any may answer 400.
  add(400, "Invalid path, body or query; `details` lists every problem");
  if (route.body) {
    add(413, "Body over 1 MiB");
    add(415, "Body is not JSON");
  }
  if (writesKey(route.body)) add(409, "The key is taken by another resource of this type in your organization");
  if (route.access !== "public") {
    add(401, "Missing, malformed, unknown, expired or revoked credential");
    add(403, "The credential lacks the scope or role");
    add(429, "Rate limited; see Retry-After");
  }
  if (route.limitPerIp) add(429, "Too many attempts from this address (or failures for this email); see Retry-After");
  if (route.params || route.visibleTo) add(404, "No such resource in your organization");
  add(500, "Unexpected error (never a stack trace)");
  add(503, "PostgreSQL or Redis unavailable; safe to retry");
  return responses;
}

/**
 * Where clients send requests: PUBLIC_URL, unless it names this machine (the development default),
 * which would send a downloaded document's users to their own machine: then this document's origin.
 */
function serverFor(publicUrl: string): { url: string; description: string } {
  const host = new URL(publicUrl).hostname;
  const local = host === "localhost" || host.endsWith(".localhost") || /^127\.|^\[::1\]$/.test(host);
  return local
    ? { url: "/", description: "The origin serving this document" }
    : { url: publicUrl.replace(/\/$/, ""), description: "This deployment" };
}

/** The OpenAPI 3.1 document, generated from the very schemas that validate requests. */
export function buildOpenApiDocument(routes: DocumentedRoute[], info: { version: string; publicUrl: string }) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "apiKey", {
    type: "apiKey",
    in: "header",
    name: "X-API-Key",
    description: "An API key (`upf_…`) only; a session token here is 401 (send it as Authorization: Bearer)",
  });
  registry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "An API key (`upf_…`) or a session JWT from POST /auth/login",
  });
  for (const route of routes) {
    const scope = route.access === "public" ? undefined : route.access.scope;
    const body = route.body && {
      required: true,
      content: {
        "application/json": { schema: route.body, ...(route.example === undefined ? {} : { example: route.example }) },
      },
    };
    registry.registerPath({
      method: route.method,
      path: toOpenApiPath(fullPath(route)),
      operationId: route.operationId,
      summary: route.summary,
      description: [route.description, scope ? `Requires scope \`${scope}\`.` : undefined].filter(Boolean).join("\n\n"),
      tags: [route.tag],
      security: route.access === "public" ? [] : [{ apiKey: [] }, { bearer: [] }],
      request: {
        ...(route.params ? { params: route.params as z.ZodObject } : {}),
        ...(route.query ? { query: route.query as z.ZodObject } : {}),
        ...(body ? { body } : {}),
      },
      responses: responsesFor(route),
    });
  }
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Upfleet API",
      version: info.version,
      description: DESCRIPTION,
      contact: { name: "Upfleet" },
      license: { name: "Apache-2.0", identifier: "Apache-2.0" },
    },
    servers: [serverFor(info.publicUrl)],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
  });
  return moveRequestDefaults(document);
}
