import { defineRoute } from "../../http/route.ts";

export const DOCS_ASSETS_PATH = "/api/docs/assets";

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
  persistAuthorization: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: "StandaloneLayout",
});`;

export const explorerRoute = defineRoute({
  method: "get",
  path: "/api/docs",
  absolute: true,
  summary: "Interactive API explorer",
  tag: "Service",
  access: "public",
  responses: { 200: { description: "HTML" } },
  handle: async () => ({ status: 200, raw: { contentType: "html", content: PAGE } }),
});

export const explorerInitRoute = defineRoute({
  method: "get",
  path: "/api/docs/init.js",
  absolute: true,
  summary: "The explorer's start-up script",
  tag: "Service",
  access: "public",
  responses: { 200: { description: "JavaScript" } },
  handle: async () => ({ status: 200, raw: { contentType: "text/javascript", content: INIT } }),
});
