export { Batcher } from "./batcher.ts";
export { startHealthServer } from "./health-server.ts";
export { boundHeapGrowth } from "./heap.ts";
export { Loop } from "./loop.ts";
export { createMetricsRegistry, EVENT_LOOP_PROBE_MS } from "./metrics.ts";
export { checkReadiness, type Probe, postgresProbe, type Readiness, redisProbe, withTimeout } from "./readiness.ts";
export { closeRedis, logRedisOutages } from "./redis-status.ts";
export { onShutdown, SHUTDOWN_DEADLINE_MS } from "./shutdown.ts";
