import { once } from "node:events";
import { loadEnvOrExit } from "@upfleet/config";
import { applyMigrations } from "@upfleet/db";
import { createLogger } from "@upfleet/logger";
import { onShutdown } from "@upfleet/runtime";
import { createServer } from "./app.ts";
import { createApiDeps } from "./bootstrap.ts";
import { ApiEnv } from "./config.ts";
import { startMetricsServer } from "./metrics-server.ts";

const config = loadEnvOrExit(ApiEnv);
const logger = createLogger("api", config.LOG_LEVEL);

try {
  // API.md: the database is created and migrated at start; a no-op when it already is.
  if (config.MIGRATE_ON_START) {
    const applied = await applyMigrations(config.DATABASE_URL);
    if (applied.length) logger.info({ applied }, "applied migrations");
  }
  const { deps, close } = await createApiDeps(config, logger);
  const server = createServer(deps).listen(config.PORT);
  await once(server, "listening");
  const address = server.address();
  logger.info({ port: typeof address === "object" && address ? address.port : config.PORT }, "api listening");
  const metricsServer = await startMetricsServer(deps, logger);
  onShutdown(logger, async () => {
    server.close();
    server.closeIdleConnections();
    metricsServer?.close();
    await once(server, "close");
    await close();
  });
} catch (error) {
  logger.fatal({ err: error }, "api failed to start");
  process.exit(1);
}
