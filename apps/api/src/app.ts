import express, { type Express } from "express";
import swaggerUiDist from "swagger-ui-dist";
import type { ApiDeps } from "./deps.ts";
import { errorHandler, notFound } from "./http/error-handler.ts";
import { jsonBody } from "./http/json-body.ts";
import { requestLogger, requestMetrics } from "./http/observe.ts";
import { buildOpenApiDocument } from "./http/openapi.ts";
import { requestId } from "./http/request-id.ts";
import { mountRoutes } from "./http/route.ts";
import { DOCS_ASSETS_PATH } from "./routes/docs/explorer.ts";
import { routes } from "./routes/index.ts";

/** The Express application: plumbing in a fixed order, then every route, then the error path. */
export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.locals.openApiDocument = buildOpenApiDocument(routes, {
    version: deps.version,
    serverUrl: deps.config.PUBLIC_URL,
  });
  app.use(requestId);
  app.use(requestLogger(deps.logger));
  app.use(requestMetrics(deps.metrics));
  app.use(DOCS_ASSETS_PATH, express.static(swaggerUiDist.getAbsoluteFSPath(), { index: false, maxAge: "1h" }));
  app.use(jsonBody);
  mountRoutes(app, routes, deps);
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
