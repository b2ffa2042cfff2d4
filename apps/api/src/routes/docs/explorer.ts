import type { ApiDeps } from "../../deps.ts";
import { defineRoute } from "../../http/route.ts";

export const DOCS_ASSETS_PATH = "/api/docs/assets";

/**
 * The explorer holds whatever credential its user pastes into it, so its page runs no script but
 * its own files (no inline script at all), may not be framed (clickjacking the "Authorize" dialog),
 * and talks only to this origin and PUBLIC_URL's (the document's server, where "Try it out" goes).
 * Styles may be inline: Swagger UI's markdown and highlighter carry style attributes, and CSS runs
 * no code. Images: its icons are data: URIs in its stylesheet.
 */
function explorerSecurityHeaders(publicUrl: string): Record<string, string> {
  const api = new URL(publicUrl).origin;
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self' ${api}`,
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
  return {
    "Content-Security-Policy": csp,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
  };
}

const headersOf = (deps: ApiDeps) => explorerSecurityHeaders(deps.config.PUBLIC_URL);

/** Swagger UI from the installed swagger-ui-dist package: the explorer works with no network. */
const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Upfleet API</title>
  <link rel="stylesheet" href="${DOCS_ASSETS_PATH}/swagger-ui.css">
</head>
<body>
  <div id="explorer"></div>
  <script src="${DOCS_ASSETS_PATH}/swagger-ui-bundle.js"></script>
  <script src="${DOCS_ASSETS_PATH}/swagger-ui-standalone-preset.js"></script>
  <script src="/api/docs/init.js"></script>
</body>
</html>`;

const INIT = `window.ui = SwaggerUIBundle({
  url: "/api/v1/openapi.json",
  dom_id: "#explorer",
  deepLinking: true,
  // A pasted key or token lives in this tab's memory only, never in localStorage.
  persistAuthorization: false,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: "StandaloneLayout",
});`;

export const explorerRoute = defineRoute({
  method: "get",
  path: "/api/docs",
  operationId: "service.explorer",
  absolute: true,
  summary: "Interactive API explorer",
  description:
    "Swagger UI over this document, served from the installed package (no CDN). A credential pasted into it " +
    "stays in the tab's memory.",
  tag: "Service",
  access: "public",
  responses: { 200: { description: "The explorer page", contentType: "text/html" } },
  handle: async ({ deps }) => ({ status: 200, headers: headersOf(deps), raw: { contentType: "html", content: PAGE } }),
});

export const explorerInitRoute = defineRoute({
  method: "get",
  path: "/api/docs/init.js",
  operationId: "service.explorerScript",
  absolute: true,
  summary: "The explorer's start-up script",
  description: "Points Swagger UI at this document; a file of its own, as the page's policy allows no inline script.",
  tag: "Service",
  access: "public",
  responses: { 200: { description: "The script", contentType: "text/javascript" } },
  handle: async ({ deps }) => ({
    status: 200,
    headers: headersOf(deps),
    raw: { contentType: "text/javascript", content: INIT },
  }),
});
