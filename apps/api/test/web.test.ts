import { once } from "node:events";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createLogger } from "@upfleet/logger";
import express from "express";
import { describe, expect } from "vitest";
import { errorHandler, notFound } from "../src/http/error-handler.ts";
import { webApp } from "../src/http/web.ts";
import { test } from "./support/fixtures.ts";

// The dashboard as the API serves it (apps/api/src/http/web.ts): a built app of our own making, so
// the test needs no Vite build; and GET / sending browsers to it.

const INDEX =
  '<!doctype html><html><head><script type="module" src="/app/assets/index-abc123.js"></script></head></html>';

/** An Express app serving `dist` (or no build at all) as createApp does, with the API's error path. */
async function serve(dist: string | null): Promise<{ url: string; close(): void }> {
  const app = express();
  app.use(webApp(dist));
  app.use(notFound);
  app.use(errorHandler(createLogger("api", "silent")));
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

const it = test.extend<{ web: { url: string } }>({
  web: [
    // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern.
    async ({}, use) => {
      const dist = await mkdtemp(path.join(tmpdir(), "upfleet-web-"));
      await mkdir(path.join(dist, "assets"));
      await writeFile(path.join(dist, "index.html"), INDEX);
      await writeFile(path.join(dist, "assets/index-abc123.js"), "console.log('dashboard')");
      await writeFile(path.join(dist, "favicon.svg"), "<svg/>");
      const server = await serve(dist);
      await use(server);
      server.close();
      await rm(dist, { recursive: true, force: true });
    },
    { scope: "file" },
  ],
});

describe("the dashboard under /app", () => {
  it("serves hashed assets as immutable for a year", async ({ web }) => {
    const res = await fetch(`${web.url}/app/assets/index-abc123.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(await res.text()).toBe("console.log('dashboard')");
  });

  it("answers the page, revalidated on every load, with a CSP that allows no inline or foreign script", async ({
    web,
  }) => {
    for (const page of ["/app", "/app/", "/app/monitors", "/app/monitors/mon_123/edit", "/app/index.html"]) {
      const res = await fetch(`${web.url}${page}`);
      expect(res.status, page).toBe(200);
      expect(await res.text(), page).toBe(INDEX);
      expect(res.headers.get("cache-control"), page).toBe("no-cache");
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, page).toContain("default-src 'self'");
      expect(csp, page).toContain("script-src 'self';");
      expect(csp, page).not.toContain("unsafe-inline");
      expect(csp, page).toContain("frame-ancestors 'none'");
      expect(res.headers.get("x-content-type-options"), page).toBe("nosniff");
    }
  });

  it("never answers a missing asset with the page", async ({ web }) => {
    const res = await fetch(`${web.url}/app/assets/index-gone99.js`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toBe("not_found");
  });

  it("other files of the build get an hour's cache", async ({ web }) => {
    const res = await fetch(`${web.url}/app/favicon.svg`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=3600");
  });

  it("says how to build the dashboard when there is no build", async () => {
    const server = await serve(null);
    try {
      const res = await fetch(`${server.url}/app/monitors`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { message: string }).message).toMatch(/pnpm build/);
    } finally {
      server.close();
    }
  });
});

describe("GET / of the API", () => {
  it("sends a browser to the dashboard", async ({ api }) => {
    const res = await fetch(`${api.url}/`, {
      headers: { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" },
      redirect: "manual",
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/app/");
  });

  it("keeps answering JSON to API clients and to clients that accept anything", async ({ api }) => {
    for (const accept of ["application/json", "*/*", undefined]) {
      const res = await fetch(`${api.url}/`, { headers: accept ? { accept } : {}, redirect: "manual" });
      expect(res.status, accept).toBe(200);
      expect(((await res.json()) as { name: string }).name, accept).toBe("Upfleet API");
    }
  });
});
