import { createServer as createHttpServer, type Server } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import express, { type Express } from "express";
import type { ApiDeps } from "./deps.ts";
import { errorHandler, notFound } from "./http/error-handler.ts";
import { jsonBody } from "./http/json-body.ts";
import { requestLogger, requestMetrics } from "./http/observe.ts";
import { buildOpenApiDocument } from "./http/openapi.ts";
import { requestId } from "./http/request-id.ts";
import { mountRoutes } from "./http/route.ts";
import { browserToWebApp, webApp } from "./http/web.ts";
import { DOCS_ASSETS_PATH } from "./routes/docs/explorer.ts";
import { pingFastPath } from "./routes/heartbeats/fast-path.ts";
import { pingRoutes, routes } from "./routes/index.ts";
import { customDomainPages } from "./routes/public/custom-domain.ts";
import { publicRateLimit } from "./routes/public/limit.ts";

/**
 * Where swagger-ui-dist's files are. Resolved, not imported: the package's main module evaluates its
 * 1.5 MB browser bundle, which the API would pay for at every start to serve files from disk.
 */
const SWAGGER_UI_DIR = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

/**
 * The Express application: plumbing in a fixed order, then every route, then the error path.
 * Heartbeat pings are not among them: createServer answers those before Express sees them.
 */
export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  // req.ip, and so every per-IP limit, is the client's behind the proxies TRUST_PROXY names.
  app.set("trust proxy", deps.config.TRUST_PROXY);
  app.locals.openApiDocument = buildOpenApiDocument([...routes, ...pingRoutes], {
    version: deps.version,
    publicUrl: deps.config.PUBLIC_URL,
  });
  app.use(requestId);
  app.use(requestLogger(deps.logger));
  app.use(requestMetrics(deps.metrics));
  app.use(publicRateLimit(deps));
  app.use(customDomainPages(deps));
  app.use(DOCS_ASSETS_PATH, express.static(SWAGGER_UI_DIR, { index: false, maxAge: "1h" }));
  app.use(browserToWebApp);
  app.use(webApp());
  app.use(jsonBody);
  mountRoutes(app, routes, deps);
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}

/** The API's HTTP server: heartbeat pings on their fast path (see fast-path.ts), everything else to Express. */
export function createServer(deps: ApiDeps): Server {
  const app = createApp(deps);
  const pings = pingFastPath(deps, pingRoutes);
  return createHttpServer((req, res) => {
    if (!pings(req, res)) app(req, res);
  });
}
