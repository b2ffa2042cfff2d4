import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from "@asteasolutions/zod-to-openapi";
import { ERROR_CODES } from "@upfleet/errors";
import { z } from "zod";
import { type AnyRoute, fullPath } from "./route.ts";

export const ErrorBody = z
  .object({
    error: z.enum(ERROR_CODES),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    request_id: z.string(),
  })
  .meta({ id: "Error" });

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: ErrorBody } },
});

const RATE_LIMIT_HEADERS = {
  "X-RateLimit-Limit": { description: "Requests allowed per minute", schema: { type: "integer" as const } },
  "X-RateLimit-Remaining": { description: "Requests left in this minute", schema: { type: "integer" as const } },
  "X-RateLimit-Reset": { description: "Unix seconds when the minute resets", schema: { type: "integer" as const } },
};

/**
 * What the document reads of a route: all of it but the handler, as heartbeat pings are described
 * here but served by their fast path, not by a route handler.
 */
export type DocumentedRoute = Omit<AnyRoute, "handle">;

/** Express `/keys/:id` → OpenAPI `/keys/{id}`. */
function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, "{$1}");
}

function responsesFor(route: DocumentedRoute): RouteConfig["responses"] {
  const responses: RouteConfig["responses"] = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    responses[status] = {
      description: spec.description,
      ...(spec.schema ? { content: { "application/json": { schema: spec.schema } } } : {}),
      ...(route.access !== "public" ? { headers: RATE_LIMIT_HEADERS } : {}),
    };
  }
  const add = (status: number, description: string) => {
    responses[status] ??= errorResponse(description);
  };
  add(400, "Invalid body or query; `details` lists every problem");
  if (route.body) {
    add(413, "Body over 1 MiB");
    add(415, "Body is not JSON");
  }
  if (route.access !== "public") {
    add(401, "Missing, malformed, unknown, expired or revoked credential");
    add(403, "The credential lacks the scope or role");
    add(429, "Rate limited; see Retry-After");
  }
  if (route.limitPerIp) add(429, "Too many attempts from this address (or failures for this email); see Retry-After");
  if (route.params) add(404, "No such resource in your organization");
  add(500, "Unexpected error (never a stack trace)");
  add(503, "PostgreSQL or Redis unavailable; safe to retry");
  return responses;
}

/** The OpenAPI 3.1 document, generated from the very schemas that validate requests. */
export function buildOpenApiDocument(routes: DocumentedRoute[], info: { version: string; serverUrl: string }) {
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
    registry.registerPath({
      method: route.method,
      path: toOpenApiPath(fullPath(route)),
      summary: route.summary,
      description: [route.description, scope ? `Requires scope \`${scope}\`.` : undefined].filter(Boolean).join("\n\n"),
      tags: [route.tag],
      security: route.access === "public" ? [] : [{ apiKey: [] }, { bearer: [] }],
      request: {
        ...(route.params ? { params: route.params as z.ZodObject } : {}),
        ...(route.query ? { query: route.query as z.ZodObject } : {}),
        ...(route.body ? { body: { required: true, content: { "application/json": { schema: route.body } } } } : {}),
      },
      responses: responsesFor(route),
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Upfleet API",
      version: info.version,
      description: "Uptime and cron-job monitoring. Errors share one shape; lists are `{data, next_cursor}`.",
    },
    servers: [{ url: info.serverUrl }],
  });
}
