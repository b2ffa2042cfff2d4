import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { type RulesetDefinition, Spectral } from "@stoplight/spectral-core";
import { oas } from "@stoplight/spectral-rulesets";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";
import { describe, expect, it as plain } from "vitest";
import { buildOpenApiDocument } from "../src/http/openapi.ts";
import { pingRoutes, routes } from "../src/routes/index.ts";
import { test } from "./support/fixtures.ts";

/**
 * The served document through tools nobody here wrote: Redocly CLI's `recommended` and Spectral's
 * `spectral:oas` rulesets with no warning left, and openapi-typescript's types used as a client would.
 */

/**
 * Rules switched off (rule id → "off"), each with its reason in a comment beside it. None: the
 * document passes every rule of both rulesets.
 */
const REDOCLY_RULES: Record<string, "off"> = {};
const SPECTRAL_RULES: Record<string, "off"> = {};

const require = createRequire(import.meta.url);
/** Run by path: the package has no API, only its bin. */
const REDOCLY_CLI = path.join(path.dirname(require.resolve("@redocly/cli/package.json")), "bin/cli.js");
const run = promisify(execFile);

interface Operation {
  operationId?: string;
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, unknown>;
}
type Document = { paths: Record<string, Record<string, Operation>> } & Record<string, unknown>;

/** The document as GET /api/v1/openapi.json serves it, and the temporary directory it is written to. */
const it = test.extend<{ served: { doc: Document; dir: string; file: string } }>({
  served: [
    async ({ api }, use) => {
      const res = await api.request("GET", "/api/v1/openapi.json");
      expect(res.status).toBe(200);
      const dir = await mkdtemp(path.join(tmpdir(), "upfleet-openapi-"));
      const file = path.join(dir, "openapi.json");
      await writeFile(file, res.text);
      await use({ doc: res.body, dir, file });
      await rm(dir, { recursive: true, force: true });
    },
    { scope: "file" },
  ],
});

const operations = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([route, item]) =>
    Object.entries(item).map(([method, operation]) => ({ label: `${method.toUpperCase()} ${route}`, operation })),
  );

const statusesOf = (doc: Document, route: string, method: string) =>
  Object.keys(doc.paths[route]?.[method]?.responses ?? {});

/** What a client written against the generated types does: a monitor with only the fields it must send. */
const CLIENT = `import type { components, paths } from "./api.js";

type CreateMonitor = paths["/api/v1/monitors"]["post"]["requestBody"]["content"]["application/json"];
export const site: CreateMonitor = { type: "http", name: "Home page", url: "https://example.com/" };
export const backup: CreateMonitor = { type: "heartbeat", name: "Nightly backup", interval_seconds: 86400 };
// @ts-expect-error an http monitor without its url
export const incomplete: CreateMonitor = { type: "http", name: "Home page" };

export function target(monitor: components["schemas"]["Monitor"]): string {
  switch (monitor.type) {
    case "http":
      return monitor.url;
    case "heartbeat":
      return \`\${monitor.heartbeat_url} (\${monitor.heartbeat_token})\`;
    default:
      return monitor.name;
  }
}
`;

describe("the served OpenAPI document", () => {
  it("passes Redocly CLI's recommended ruleset with no error and no warning", async ({ served }) => {
    const config = ["extends:", "  - recommended", "rules:", ...Object.keys(REDOCLY_RULES).map((r) => `  ${r}: off`)];
    await writeFile(path.join(served.dir, "redocly.yaml"), `${config.join("\n")}\n`);
    const lint = await run(process.execPath, [REDOCLY_CLI, "lint", "--format=json", served.file], {
      cwd: served.dir,
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }));
    const report = JSON.parse(lint.stdout) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
    };
    const problems = report.problems.map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`);
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 120_000);

  it("passes Spectral's spectral:oas ruleset with no error and no warning", async ({ served }) => {
    const spectral = new Spectral();
    spectral.setRuleset({ extends: [[oas as unknown as RulesetDefinition, "recommended"]], rules: SPECTRAL_RULES });
    const results = await spectral.run(JSON.stringify(served.doc));
    expect(results.map((r) => `${r.code} ${r.path.join(".")}: ${r.message}`)).toEqual([]);
  }, 120_000);

  it("gives openapi-typescript, with its default settings, types a client can use without casts", async ({
    served,
  }) => {
    await writeFile(
      path.join(served.dir, "api.d.ts"),
      astToString(await openapiTS(served.doc as never, { silent: true })),
    );
    const client = path.join(served.dir, "client.ts");
    await writeFile(client, CLIENT);
    const program = ts.createProgram([client], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: [],
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(problems).toEqual([]);
  }, 120_000);

  it("names every operation `<resource>.<action>`, once, and shows an example of every request body", ({ served }) => {
    const ids = operations(served.doc).map(({ operation }) => operation.operationId);
    for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z]*(\.[a-z][A-Za-z]*)+$/);
    expect(new Set(ids).size).toBe(ids.length);
    const withoutExample = operations(served.doc)
      .filter(({ operation }) => operation.requestBody?.content["application/json"]?.example === undefined)
      .filter(({ operation }) => operation.requestBody)
      .map(({ label }) => label);
    expect(withoutExample).toEqual([]);
  });

  it("shows examples the API accepts, its rules across fields included", async ({ api, owner, served }) => {
    // The examples that name no existing resource; the others' ids are placeholders.
    for (const [route, status] of [
      ["/api/v1/monitors", 201],
      ["/api/v1/keys", 201],
    ] as const) {
      const example = served.doc.paths[route]?.post?.requestBody?.content["application/json"]?.example;
      const res = await api.request("POST", route, { auth: owner.token, body: example });
      expect(res.status, `${route}: ${res.text}`).toBe(status);
    }
  });

  it("documents the answers that are not the happy path", ({ served }) => {
    const { doc } = served;
    expect(statusesOf(doc, "/api/v1/auth/login", "post")).toEqual(expect.arrayContaining(["401", "429"]));
    expect(statusesOf(doc, "/api/v1/auth/signup", "post")).toEqual(expect.arrayContaining(["403", "409", "429"]));
    expect(statusesOf(doc, "/api/v1/users", "post")).toEqual(expect.arrayContaining(["409"]));
    expect(statusesOf(doc, "/api/v1/keys", "post")).toEqual(expect.arrayContaining(["409"]));
    expect(statusesOf(doc, "/api/v1/monitors/{id}", "get")).toEqual(
      expect.arrayContaining(["400", "401", "403", "404"]),
    );
    for (const method of ["get", "head", "post"]) {
      expect(statusesOf(doc, "/api/heartbeat/{token}", method), method).toEqual(
        expect.arrayContaining(["200", "404", "405", "429"]),
      );
    }
  });
});

describe("the document's server", () => {
  const serverFor = (publicUrl: string) =>
    buildOpenApiDocument([...routes, ...pingRoutes], { version: "1.0.0", publicUrl }).servers?.map((s) => s.url);

  plain("is PUBLIC_URL, where clients of a deployment send their requests", () => {
    expect(serverFor("https://upfleet.acme.test/")).toEqual(["https://upfleet.acme.test"]);
  });

  plain("is the document's own origin while PUBLIC_URL names this machine (the development default)", () => {
    for (const local of ["http://localhost:3000", "http://127.0.0.1:3000", "http://[::1]:3000"]) {
      expect(serverFor(local), local).toEqual(["/"]);
    }
  });
});

describe("GET /", () => {
  it("points to the explorer and the OpenAPI document", async ({ api }) => {
    const res = await api.request("GET", "/");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      docs_url: expect.stringMatching(/\/api\/docs$/),
      openapi_url: expect.stringMatching(/\/api\/v1\/openapi\.json$/),
    });
    for (const url of [res.body.docs_url, res.body.openapi_url]) {
      const followed = await api.request("GET", new URL(url).pathname);
      expect(followed.status, url).toBe(200);
    }
  });
});
