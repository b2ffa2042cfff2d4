import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "@upfleet/logger";
import { postgresProbe, redisProbe, startHealthServer } from "@upfleet/runtime";
import type { ApiDeps } from "./deps.ts";

/** `/metrics` (with `/healthz` and `/readyz`) on METRICS_PORT, when it is set: never the public port. */
export async function startMetricsServer(deps: ApiDeps, logger: Logger): Promise<Server | undefined> {
  const port = deps.config.METRICS_PORT;
  if (port === undefined) return undefined;
  const server = await startHealthServer({
    port,
    probes: [postgresProbe(deps.db), redisProbe(deps.redis)],
    metrics: deps.metrics,
  });
  logger.info({ port: (server.address() as AddressInfo).port }, "metrics served on their own port");
  return server;
}
