import { effectiveScopes, SCOPES, type Scope } from "@upfleet/accounts";
import { ID_PREFIXES, type IdKind, newId } from "@upfleet/ids";
import { describe, expect, type TestAPI } from "vitest";
import type { z } from "zod";
import { type AnyRoute, fullPath } from "../../src/http/route.ts";
import { createKey, type TestUser } from "./accounts.ts";
import type { TestApi, TestResponse } from "./test-api.ts";

export const REQUEST_ID = /^req_[0-9a-z]{26}$/;

/** Our error shape and nothing more, carrying the request id of the response header. */
export function expectError(res: TestResponse, status: number, code: string): void {
  expect(res.status, res.text).toBe(status);
  const keys = status === 400 ? ["details", "error", "message", "request_id"] : ["error", "message", "request_id"];
  expect(Object.keys(res.body ?? {}).sort(), res.text).toEqual(keys);
  expect(res.body.error).toBe(code);
  expect(res.body.message).toEqual(expect.stringMatching(/\S/));
  expect(res.body.request_id).toBe(res.headers.get("x-request-id"));
  if (status === 400) {
    expect(res.body.details.length).toBeGreaterThan(0);
    for (const detail of res.body.details)
      expect(detail).toEqual({ path: expect.any(String), message: expect.any(String) });
  }
}

/** The `details` paths of a 400, sorted, to assert that every problem is listed. */
export function detailPaths(res: TestResponse): string[] {
  return [...new Set((res.body.details as { path: string }[]).map((d) => d.path))].sort();
}

/** Row counts of every table: a refused request must leave them exactly as they were. */
export async function tableCounts(api: TestApi): Promise<Record<string, number>> {
  const tables = await api.deps.db.$queryRaw<{ name: string }[]>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\_prisma%'`;
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await api.deps.db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${name}"`);
    counts[name] = Number(row?.n);
  }
  return counts;
}

/** Runs `act` and checks that it left every table's row count as it was. */
export async function changesNothing<T>(api: TestApi, act: () => Promise<T>): Promise<T> {
  const before = await tableCounts(api);
  const result = await act();
  expect(await tableCounts(api)).toEqual(before);
  return result;
}

/** A 400 in our error shape naming exactly `paths`. */
export function expectInvalid(res: TestResponse, paths: string[]): void {
  expectError(res, 400, "validation_error");
  expect(detailPaths(res)).toEqual(paths);
}

export type ProtectedRoute = AnyRoute & { access: { scope: Scope | null } };

export function protectedRoutes(routes: AnyRoute[]): ProtectedRoute[] {
  return routes.filter((route): route is ProtectedRoute => route.access !== "public");
}

const routeLabel = (route: AnyRoute) => `${route.method.toUpperCase()} ${fullPath(route)}`;

const PARAM = /:([A-Za-z_][A-Za-z0-9_]*)/g;

/** The id kind each path parameter takes, asked of the route's own schema (`mon_…` for a monitor). */
function paramKinds(route: AnyRoute): Record<string, IdKind> {
  const shape = ((route.params as z.ZodObject | undefined)?.shape ?? {}) as Record<string, z.ZodType>;
  const kinds: Record<string, IdKind> = {};
  for (const [, name] of fullPath(route).matchAll(PARAM)) {
    const schema = shape[name!];
    const fits = (Object.keys(ID_PREFIXES) as IdKind[]).filter((kind) => schema?.safeParse(newId(kind)).success);
    if (fits.length !== 1) {
      throw new Error(`${routeLabel(route)}: cannot tell which id kind :${name} takes (${fits.join(", ") || "none"})`);
    }
    kinds[name!] = fits[0]!;
  }
  return kinds;
}

function buildPath(route: AnyRoute, ids: Record<string, string>): string {
  return fullPath(route).replace(PARAM, (_, name: string) => encodeURIComponent(ids[name] ?? ""));
}

export interface SecurityContext {
  api: TestApi;
  /** Owner of the organization whose resources the requests aim at. */
  victim: TestUser;
  /** A viewer (read-only role) in the victim's organization. */
  viewer: TestUser;
  /** Owner of another organization. */
  attacker: TestUser;
}

/** How to make one resource of a kind in the victim's organization, so a request can aim at it. */
export interface TenantFixture {
  create(ctx: SecurityContext): Promise<string>;
  /** Still there and intact: a refused request changed nothing. */
  exists(ctx: SecurityContext, id: string): Promise<boolean>;
  /** Tidies up after a test (e.g. revokes a key, so the per-user key limit is never reached). */
  remove?(ctx: SecurityContext, id: string): Promise<void>;
}

export interface SecurityOptions {
  fixtures: Partial<Record<IdKind, TenantFixture>>;
  /** What a route needs to get past validation to its lookup, by label (`POST /api/v1/x/:id/y`). */
  samples?: Record<string, { body?: unknown; query?: string }>;
}

/**
 * The common auth and tenancy checks, against every authenticated route: no credential → 401, a key
 * without the route's scope → 403, a viewer on a write route → 403, another tenant's id → 404, and
 * nothing listed or shown from another tenant. A new route is covered by being in `routes`; a new
 * id kind in a path needs a fixture, and the test says so.
 */
export function describeRouteSecurity(
  routes: AnyRoute[],
  it: TestAPI<{ security: SecurityContext }>,
  options: SecurityOptions,
) {
  // Only kinds some route takes are planted for the listing checks (a fixture may precede its routes).
  const usedKinds = new Set(protectedRoutes(routes).flatMap((route) => Object.values(paramKinds(route))));
  for (const route of protectedRoutes(routes)) {
    const label = routeLabel(route);
    const kinds = paramKinds(route);
    const hasParams = Object.keys(kinds).length > 0;
    const { scope } = route.access;
    const sample = options.samples?.[label] ?? {};
    const body = sample.body ?? (route.body ? {} : undefined);

    const send = (ctx: SecurityContext, path: string, headers: Record<string, string> = {}) =>
      ctx.api.request(route.method.toUpperCase(), `${path}${sample.query ? `?${sample.query}` : ""}`, {
        headers,
        ...(body === undefined ? {} : { body }),
      });

    /** Runs `check` against real resources of the victim's, then proves they and every table are unchanged. */
    const withTargets = async (
      ctx: SecurityContext,
      check: (path: string, ids: Record<string, string>) => Promise<void>,
    ) => {
      const ids: Record<string, string> = {};
      for (const [name, kind] of Object.entries(kinds)) {
        const fixture = options.fixtures[kind];
        if (!fixture) throw new Error(`${label}: no fixture creates a ${kind} (${ID_PREFIXES[kind]}_…); add one`);
        ids[name] = await fixture.create(ctx);
      }
      const before = await tableCounts(ctx.api);
      await check(buildPath(route, ids), ids);
      expect(await tableCounts(ctx.api)).toEqual(before);
      for (const [name, kind] of Object.entries(kinds)) {
        const fixture = options.fixtures[kind]!;
        expect(await fixture.exists(ctx, ids[name]!), `${kind} ${ids[name]} after ${label}`).toBe(true);
        await fixture.remove?.(ctx, ids[name]!);
      }
    };

    describe(label, () => {
      it("is 401 without a credential, or with an unknown, malformed or non-credential one", async ({
        security: ctx,
      }) => {
        await withTargets(ctx, async (path) => {
          const unknownKey = `upf_${"A".repeat(40)}`;
          const attempts: Record<string, string>[] = [
            {},
            { authorization: "Bearer not-a-token" },
            { authorization: `Basic ${Buffer.from("user:pass").toString("base64")}` },
            { "x-api-key": unknownKey },
            { authorization: `Bearer ${unknownKey}` },
            { "x-api-key": "upf_short" },
          ];
          for (const headers of attempts) {
            expectError(await send(ctx, path, headers), 401, "unauthorized");
          }
        });
      });

      if (scope)
        it(`is 403 with a key holding every scope but ${scope}`, async ({ security: ctx }) => {
          const others = SCOPES.filter((s) => s !== scope);
          const key = await createKey(ctx.api, ctx.victim, { scopes: others, name: `all but ${scope}` });
          await withTargets(ctx, async (path) => {
            expectError(await send(ctx, path, { "x-api-key": key.raw }), 403, "forbidden");
          });
          expect((await ctx.api.request("DELETE", `/api/v1/keys/${key.id}`, { auth: ctx.victim.token })).status).toBe(
            204,
          );
        });

      if (scope && !effectiveScopes("viewer", null).has(scope))
        it("is 403 for a viewer's session", async ({ security: ctx }) => {
          await withTargets(ctx, async (path) => {
            expectError(await send(ctx, path, { authorization: `Bearer ${ctx.viewer.token}` }), 403, "forbidden");
          });
        });

      if (hasParams)
        it("is 404 for another organization's id, never 403, and touches nothing", async ({ security: ctx }) => {
          await withTargets(ctx, async (path) => {
            expectError(await send(ctx, path, { authorization: `Bearer ${ctx.attacker.token}` }), 404, "not_found");
          });
        });

      if (hasParams)
        it("is 404 for a well-formed id that does not exist", async ({ security: ctx }) => {
          const ids = Object.fromEntries(Object.entries(kinds).map(([name, kind]) => [name, newId(kind)]));
          const res = await send(ctx, buildPath(route, ids), { authorization: `Bearer ${ctx.victim.token}` });
          expectError(res, 404, "not_found");
        });

      if (!hasParams && route.method === "get")
        it("never shows another organization's data", async ({ security: ctx }) => {
          const planted: [IdKind, string][] = [];
          for (const [kind, fixture] of Object.entries(options.fixtures) as [IdKind, TenantFixture][]) {
            if (usedKinds.has(kind)) planted.push([kind, await fixture.create(ctx)]);
          }
          const res = await send(ctx, fullPath(route), { authorization: `Bearer ${ctx.attacker.token}` });
          expect(res.status, res.text).toBe(200);
          for (const secret of [
            ctx.victim.organizationId,
            ctx.victim.id,
            ctx.victim.email,
            ...planted.map(([, id]) => id),
          ]) {
            expect(res.text).not.toContain(secret);
          }
          for (const [kind, id] of planted) await options.fixtures[kind]!.remove?.(ctx, id);
        });
    });
  }
}
