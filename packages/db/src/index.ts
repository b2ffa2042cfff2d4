export { createDb, type Db, type DbOptions, isConnectionError, isUniqueViolation } from "./client.ts";
export type { ApiKey, Organization, Setting, User } from "./generated/client.ts";
export { Prisma, Role } from "./generated/client.ts";
export type { Role as RoleName } from "./generated/enums.ts";
export { applyMigrations, ensureDatabase } from "./migrations/migrator.ts";
export { decodeCursor, encodeCursor, type Page, type PageRequest, pageQuery, toPage } from "./pagination.ts";
