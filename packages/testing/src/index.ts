export { type AppLauncher, appLauncher, type ServiceEndpoints, serviceEndpoints } from "./app-launcher.ts";
export { createTestOrganization, type TestOrganization } from "./organization.ts";
export { APP_POOL_SIZE, testDb } from "./pools.ts";
export { createTestDatabase, type TestDatabase } from "./postgres.ts";
export {
  type AppProcess,
  bundleEntry,
  type Exit,
  type LogEntry,
  type RunningApp,
  spawnApp,
  startApp,
} from "./process.ts";
export { promtoolProblems } from "./promtool.ts";
export { createTestRedis, type TestRedis } from "./redis.ts";
export { maintenanceWindowRow, monitorRow, type StateChange, stateChangeRow } from "./rows.ts";
export { waitFor } from "./wait-for.ts";
