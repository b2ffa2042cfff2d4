export { createDb, type Db, type DbOptions, isConnectionError, isUniqueViolation } from "./client.ts";
export type { ApiKey, Organization, Setting, User } from "./generated/client.ts";
export { Prisma, Role } from "./generated/client.ts";
export { applyMigrations, ensureDatabase } from "./migrations/migrator.ts";
