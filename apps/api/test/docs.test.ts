import { describe, expect } from "vitest";
import { apiTest } from "./support/fixtures.ts";

const it = apiTest({ PUBLIC_URL: "https://api.example.com" });

/** The directives of a Content-Security-Policy header, by name. */
function directives(header: string | null): Map<string, string[]> {
  const parsed = new Map<string, string[]>();
  for (const part of (header ?? "").split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) parsed.set(name, values);
  }
  return parsed;
}

describe("the explorer at /api/docs is locked down", () => {
  it("has a strict CSP that allows no inline or foreign script, and cannot be framed", async ({ api }) => {
    const res = await api.request("GET", "/api/docs");
    expect(res.status).toBe(200);
    const csp = directives(res.headers.get("content-security-policy"));
    expect(csp.get("default-src")).toEqual(["'none'"]);
    expect(csp.get("script-src")).toEqual(["'self'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'none'"]);
    expect(csp.get("connect-src")).toEqual(["'self'", "https://api.example.com"]);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("references only same-origin assets, has no inline script, and every asset loads", async ({ api }) => {
    const res = await api.request("GET", "/api/docs");
    const scripts = [...res.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/[^/]/);
      expect(body!.trim()).toBe("");
    }
    expect(res.text).not.toMatch(/\son[a-z]+\s*=/i);
    const assets = [...res.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toEqual(expect.arrayContaining(["/api/docs/init.js", "/api/docs/assets/swagger-ui-bundle.js"]));
    for (const asset of assets) {
      expect(asset, asset).toMatch(/^\/[^/]/);
      const loaded = await fetch(`${api.url}${asset}`);
      expect(loaded.status, asset).toBe(200);
      expect(loaded.headers.get("content-type"), asset).toMatch(
        asset.endsWith(".css") ? /^text\/css/ : /^(text|application)\/javascript/,
      );
      expect((await loaded.text()).length, asset).toBeGreaterThan(0);
    }
  });

  it("does not persist the credential a user pastes into it", async ({ api }) => {
    const init = await api.request("GET", "/api/docs/init.js");
    expect(init.status).toBe(200);
    expect(init.text).toMatch(/persistAuthorization:\s*false/);
    expect(init.text).not.toMatch(/persistAuthorization:\s*true/);
    expect(init.headers.get("x-content-type-options")).toBe("nosniff");
  });
});
