import type { Scope } from "@upfleet/accounts";
import { AppError, ForbiddenError } from "@upfleet/errors";
import type { Request, Response, Router } from "express";
import { z } from "zod";
import { readCredential } from "../auth/authenticator.ts";
import { clientIpBucket } from "../auth/client-ip.ts";
import type { Principal } from "../auth/principal.ts";
import { type RateLimitState, rateLimitHeaders, type Spent } from "../auth/rate-limiter.ts";
import type { ApiDeps } from "../deps.ts";
import { notModified } from "./conditional.ts";
import type { Tag } from "./openapi.ts";
import { parseInput, parseParams } from "./validate.ts";

/** `public`: no credential. Otherwise a credential, and the scope when one is named. */
export type Access = "public" | { scope: Scope | null };

export interface Reply {
  status: number;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is, for the few routes that are not JSON (HTML, Prometheus text). */
  raw?: { contentType: string; content: string };
  headers?: Record<string, string>;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

interface RouteContext<B, Q, P, A extends Access> {
  body: Out<B>;
  query: Out<Q>;
  params: Out<P>;
  principal: A extends "public" ? undefined : Principal;
  deps: ApiDeps;
  req: Request;
  res: Response;
}

export interface ResponseSpec {
  description: string;
  /** JSON; a 4xx or 5xx with neither this nor `contentType` is documented with the error shape. */
  schema?: z.ZodType;
  /** The media type (or types) of a body sent as is (`raw`): HTML, SVG, Prometheus text, export files. */
  contentType?: string | string[];
  /** Headers the response carries beyond the rate-limit ones, by name: what each says. */
  headers?: Record<string, string>;
}

export interface Route<B = unknown, Q = unknown, P = unknown, A extends Access = Access> {
  method: "get" | "post" | "patch" | "delete";
  /** Express syntax (`/keys/:id`), relative to /api/v1 unless `absolute`. */
  path: string;
  absolute?: boolean;
  /**
   * The operation's name in the OpenAPI document, `<resource>.<action>` (`monitors.create`). Written
   * by hand rather than derived from the path: generated clients name their methods after it, so it
   * must survive a path's rename, and a reviewer sees it change.
   */
  operationId: string;
  summary: string;
  description?: string;
  tag: Tag;
  access: A;
  /** Public routes that cost the server (Argon2 on sign-up and login) are limited per client IP. */
  limitPerIp?: boolean;
  /**
   * Who may know the route exists: anyone else gets the 404 of an unknown path, before the scope
   * check (a 403 would say it is there). For the deployment's operators' routes (fleet).
   */
  visibleTo?(principal: Principal, deps: ApiDeps): boolean;
  body?: B;
  /**
   * A body the route accepts, shown in the document. Typed by the body schema, with other keys let
   * through for the schemas built field by field (monitors); the lint test validates it whole.
   */
  example?: B extends z.ZodType ? z.input<B> & Record<string, unknown> : never;
  query?: Q;
  /** Entity named in the 404 when the path's ids do not parse. */
  params?: P;
  entity?: string;
  responses: Record<number, ResponseSpec>;
  handle(ctx: RouteContext<B, Q, P, A>): Promise<Reply>;
}

export type AnyRoute = Route<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined, Access>;

/** Identity with inference: a route file's schemas type its handler. */
export function defineRoute<
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  A extends Access = Access,
>(route: Route<B, Q, P, A>): AnyRoute {
  return route as unknown as AnyRoute;
}

const API_BASE = "/api/v1";

/** What a route without a query (or body) schema accepts: nothing, so typos never pass silently. */
const NO_FIELDS = z.strictObject({});

export function fullPath(route: Pick<AnyRoute, "path" | "absolute">): string {
  return route.absolute ? route.path : `${API_BASE}${route.path}`;
}

function setLimitHeaders(res: Response, state: RateLimitState): void {
  for (const [name, value] of Object.entries(rateLimitHeaders(state))) res.setHeader(name, value);
}

/** The caller, and what its request cost it (a credential's points, which a 304 gives back). */
interface Authorized {
  principal: Principal | undefined;
  spent?: Spent;
}

async function authorize(route: AnyRoute, req: Request, res: Response, deps: ApiDeps): Promise<Authorized> {
  if (route.access === "public") {
    if (route.limitPerIp) {
      const limits = {
        perMinute: deps.config.AUTH_RATE_LIMIT_PER_MINUTE,
        perHour: deps.config.AUTH_RATE_LIMIT_PER_HOUR,
      };
      setLimitHeaders(res, await deps.rateLimiter.consume(`ip:${clientIpBucket(req)}`, limits));
    }
    return { principal: undefined };
  }
  const credential = readCredential({ apiKey: req.get("x-api-key"), authorization: req.get("authorization") });
  const principal = await deps.authenticator.authenticate(credential, clientIpBucket(req));
  const spent = await deps.rateLimiter.consume(principal.rateLimitSubject, deps.planLimits(principal.plan));
  setLimitHeaders(res, spent);
  if (route.visibleTo && !route.visibleTo(principal, deps)) {
    throw new AppError("not_found", `No route ${req.method} ${req.path}`);
  }
  const { scope } = route.access;
  if (scope && !principal.scopes.has(scope)) {
    throw new ForbiddenError(`This credential lacks the ${scope} scope (key scopes ∩ the ${principal.role} role)`);
  }
  return { principal, spent };
}

type EtagOf = (body: string, encoding: BufferEncoding) => string | undefined;

/**
 * Sends a JSON body as res.json would (with Express's ETag), but answers a conditional GET whose
 * ETag still matches with 304 itself, after giving the request's rate-limit point back (GitHub's
 * rule: revalidating what the client holds is free, so the dashboard's polls cost only what
 * changed; see the rate-limit section of the OpenAPI description).
 */
async function sendJson(req: Request, res: Response, body: unknown, deps: ApiDeps, spent?: Spent): Promise<void> {
  const text = JSON.stringify(body);
  const etag = res.get("ETag") ?? (req.app.get("etag fn") as EtagOf | undefined)?.(text, "utf8");
  if (etag) res.setHeader("ETag", etag);
  const readOnly = req.method === "GET" || req.method === "HEAD";
  if (readOnly && res.statusCode === 200 && etag && notModified(req.get("if-none-match"), etag)) {
    const refunded = spent && (await deps.rateLimiter.refund(spent));
    if (refunded) setLimitHeaders(res, refunded);
    res.status(304).end();
    return;
  }
  if (!res.get("Content-Type")) res.type("json");
  res.send(text);
}

/** Registers each route with Express: authenticate, rate-limit, authorize, validate, handle, reply. */
export function mountRoutes(router: Router, routes: AnyRoute[], deps: ApiDeps): void {
  for (const route of routes) {
    router[route.method](fullPath(route), async (req: Request, res: Response) => {
      const { principal, spent } = await authorize(route, req, res, deps);
      const params = route.params ? parseParams(route.params, req.params, route.entity ?? "Resource") : undefined;
      const query = parseInput(route.query ?? NO_FIELDS, { ...req.query }, route.query ? undefined : "(query)");
      const body = parseInput(route.body ?? NO_FIELDS, req.body ?? {}, route.body ? undefined : "(body)");
      const reply = await route.handle({
        body: route.body ? body : undefined,
        query: route.query ? query : undefined,
        params,
        principal,
        deps,
        req,
        res,
      } as never);
      for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
      res.status(reply.status);
      if (reply.raw) res.type(reply.raw.contentType).send(reply.raw.content);
      else if (reply.body !== undefined) await sendJson(req, res, reply.body, deps, spent);
      else res.end();
    });
  }
}
