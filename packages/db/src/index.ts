export { columns, insertMonitorEvents, type MonitorEventRow, monitorEventColumns } from "./batch-sql.ts";
export { createDb, type Db, type DbOptions, isConnectionError, isUniqueViolation } from "./client.ts";
export type {
  ApiKey,
  CheckResult,
  CheckRollup,
  Incident,
  IncidentEvent,
  IncidentUpdate,
  Monitor,
  MonitorEvent,
  Organization,
  Setting,
  User,
} from "./generated/client.ts";
export { CheckOutcome, IncidentStatus, MonitorStatus, MonitorType, Prisma, Role } from "./generated/client.ts";
export type { Role as RoleName } from "./generated/enums.ts";
export { EARLIEST_INSTANT_MS, Instant, InstantDate, isStorableInstant, LATEST_INSTANT_MS } from "./instant.ts";
export { applyMigrations, ensureDatabase } from "./migrations/migrator.ts";
export { lockOwned, type ReferenceKind, requireOwned } from "./owned.ts";
export { decodeCursor, encodeCursor, type Page, type PageRequest, pageQuery, toPage } from "./pagination.ts";
export { byKey, type KeyFilter, ResourceKey, uniqueKey } from "./resource-key.ts";
export { createSqlPool, prismaSql, type SqlClient, type SqlPool } from "./sql.ts";
