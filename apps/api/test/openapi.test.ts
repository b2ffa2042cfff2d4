import { Registry } from "prom-client";
import { describe, expect } from "vitest";
import { createApp } from "../src/app.ts";
import { pingOperations } from "../src/routes/heartbeats/fast-path.ts";
import { pingRoutes } from "../src/routes/index.ts";
import { test } from "./support/fixtures.ts";
import type { TestApi } from "./support/test-api.ts";

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

interface Operation {
  security?: Record<string, string[]>[];
  responses: Record<string, unknown>;
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
}
interface Document {
  openapi: string;
  info: { version: string };
  paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
  components: { schemas: Record<string, { additionalProperties?: unknown; required?: string[] }> };
}

/** The API's OpenAPI document, read once per file. */
const it = test.extend<{ doc: Document }>({
  doc: [
    async ({ api }, use) => {
      const res = await api.request("GET", "/api/v1/openapi.json");
      expect(res.status).toBe(200);
      await use(res.body);
    },
    { scope: "file" },
  ],
});

interface Layer {
  name: string;
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: unknown[] };
  match(path: string): boolean;
}

/** The Express app's layers, middleware and routes (Express 5: `app.router.stack`). */
function expressStack(api: TestApi): Layer[] {
  // A fresh registry: the request-latency histogram may be registered only once per registry.
  const app = createApp({ ...api.deps, metrics: new Registry() });
  return (app as unknown as { router: { stack: Layer[] } }).router.stack;
}

/**
 * Every `METHOD path` Express really serves, read from the router. A router mounted with app.use
 * would hide its routes from this walk, so each one must match none of `apiPaths` (the dashboard's,
 * http/web.ts, serves only /app): one that does needs the walk extended first.
 */
function registeredOperations(api: TestApi, apiPaths: string[]): string[] {
  const stack = expressStack(api);
  const nested = stack.filter((layer) => !layer.route && Array.isArray(layer.handle.stack));
  expect(nested.length).toBeGreaterThan(0);
  for (const router of nested) {
    const inner = router.handle.stack as Layer[];
    expect(apiPaths.filter((path) => inner.some((layer) => layer.match(path)))).toEqual([]);
  }
  return stack.flatMap((layer) =>
    layer.route
      ? Object.keys(layer.route.methods).map(
          (method) => `${method.toUpperCase()} ${layer.route!.path.replace(/:(\w+)/g, "{$1}")}`,
        )
      : [],
  );
}

function documentedOperations(doc: Document): [string, string, Operation][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => (item[method] ? [[method, path, item[method]] as [string, string, Operation]] : [])),
  );
}

function bodySchema(doc: Document, path: string, method: "post") {
  const ref = doc.paths[path]?.[method]?.requestBody?.content["application/json"]?.schema.$ref;
  expect(ref).toMatch(/^#\/components\/schemas\//);
  return doc.components.schemas[ref!.split("/").at(-1)!];
}

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1.0 with the API's version", ({ api, doc }) => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.version).toBe(api.deps.version);
  });

  it("documents every operation served, by Express or the ping fast path, and nothing else", ({ api, doc }) => {
    const apiPaths = documentedOperations(doc).map(([, path]) => path.replace(/\{\w+\}/g, "x"));
    const registered = registeredOperations(api, apiPaths);
    expect(registered.length).toBeGreaterThan(10);
    const fast = pingOperations(pingRoutes)
      .filter((op) => !op.startsWith("HEAD "))
      .map((op) => op.replace(/:(\w+)/g, "{$1}"));
    expect(fast.length).toBeGreaterThanOrEqual(8);
    const served = [...registered, ...fast];
    const documented = documentedOperations(doc).map(([method, path]) => `${method.toUpperCase()} ${path}`);
    expect(
      served.filter((op) => !documented.includes(op)),
      "served but undocumented",
    ).toEqual([]);
    expect(
      documented.filter((op) => !served.includes(op)),
      "documented but not served",
    ).toEqual([]);
  });

  it("leaves heartbeat pings to the fast path: Express mounts nothing for them", ({ api }) => {
    // Layers for every path (request id, logger, JSON parser, 404) match /api/v1 paths too.
    const forPings = expressStack(api).filter(
      (layer) => layer.match("/api/heartbeat/some-token/start") && !layer.match("/api/v1/account"),
    );
    expect(forPings.map((layer) => layer.route?.path ?? layer.name)).toEqual([]);
  });

  it("declares security and 401/403/429 exactly on the operations that demand a credential", async ({ api, doc }) => {
    let authenticated = 0;
    for (const [method, path, operation] of documentedOperations(doc)) {
      const concrete = path.replace(/\{(\w+)\}/g, "key_0000000000000000000000000a");
      // Credentials are checked before anything else, so an anonymous call tells which routes need one.
      const res = await api.request(method.toUpperCase(), concrete);
      const label = `${method.toUpperCase()} ${path}`;
      if (res.status === 401) {
        authenticated++;
        expect(operation.security, label).toEqual(expect.arrayContaining([{ apiKey: [] }, { bearer: [] }]));
        expect(Object.keys(operation.responses), label).toEqual(expect.arrayContaining(["401", "403", "429"]));
      } else {
        expect(operation.security, `${label} answered ${res.status}`).toEqual([]);
      }
    }
    expect(authenticated).toBeGreaterThanOrEqual(7);
  });

  it("publishes strict request schemas (unknown fields are rejected)", ({ doc }) => {
    const createKey = bodySchema(doc, "/api/v1/keys", "post");
    expect(createKey?.additionalProperties).toBe(false);
    expect(createKey?.required).toEqual(["name"]);
    const signup = bodySchema(doc, "/api/v1/auth/signup", "post");
    expect(signup?.additionalProperties).toBe(false);
    expect(signup?.required).toEqual(expect.arrayContaining(["email", "password", "organization_name"]));
  });

  it("documents the headers a response carries beyond the rate limit's (an export's Location)", ({ doc }) => {
    const accepted = doc.paths["/api/v1/exports"]?.post?.responses["202"] as { headers?: Record<string, unknown> };
    expect(Object.keys(accepted.headers ?? {})).toEqual(expect.arrayContaining(["Location", "X-RateLimit-Limit"]));
    const login = doc.paths["/api/v1/auth/login"]?.post?.responses["200"] as { headers?: unknown };
    expect(login.headers).toBeUndefined();
  });
});

describe("the explorer", () => {
  it("serves an HTML page that loads only local assets", async ({ api }) => {
    const res = await api.request("GET", "/api/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.text).not.toMatch(/https?:\/\/|["']\/\//);
    const assets = [...res.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toContain("/api/docs/assets/swagger-ui-bundle.js");
    for (const asset of assets) {
      const loaded = await fetch(`${api.url}${asset}`);
      expect(loaded.status, asset).toBe(200);
      expect(await loaded.text()).not.toBe("");
    }
    const init = await api.request("GET", "/api/docs/init.js");
    expect(init.text).toContain('"/api/v1/openapi.json"');
    expect(init.text).not.toMatch(/https?:\/\//);
  });

  it("serves the Swagger UI bundle as JavaScript", async ({ api }) => {
    const res = await fetch(`${api.url}/api/docs/assets/swagger-ui-bundle.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^(text|application)\/javascript/);
    expect((await res.text()).length).toBeGreaterThan(100_000);
  });
});
