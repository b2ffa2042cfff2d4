import { PrismaPg } from "@prisma/adapter-pg";
import { baselineWasmOnly } from "./baseline-wasm.ts";
import { Prisma, PrismaClient } from "./generated/client.ts";

export type Db = PrismaClient;

export interface DbOptions {
  /** Connections in this process' pool; PostgreSQL's own limit is shared by every process. */
  poolSize?: number;
  /** How long a connection may sit idle before it is closed; IDLE_CONNECTION_MS unless given. */
  idleTimeoutMs?: number;
}

/**
 * How long a pooled connection may sit idle before it is closed. node-postgres closes them after 10 s,
 * so an idle alerter, whose sweeps run every 30–60 s, opened a new connection (a backend forked,
 * authenticated and warmed up) for nearly every one of them (issue #15, found by profiling).
 */
export const IDLE_CONNECTION_MS = 5 * 60_000;

/** The Prisma client over node-postgres: no engine binary, one pool per process. */
export function createDb(connectionString: string, options: DbOptions = {}): Db {
  // The query compiler is compiled at the first query.
  baselineWasmOnly();
  const adapter = new PrismaPg({
    connectionString,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: options.idleTimeoutMs ?? IDLE_CONNECTION_MS,
  });
  return new PrismaClient({ adapter });
}

/** True for a unique-constraint violation, optionally on a given column. */
export function isUniqueViolation(error: unknown, column?: string): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2002") return false;
  if (column === undefined) return true;
  return JSON.stringify(error.meta ?? {}).includes(column);
}

const DOWN_KINDS = new Set(["DatabaseNotReachable", "DatabaseDoesNotExist", "ConnectionClosed", "SocketTimeout"]);

/** True when the database could not be reached (as opposed to a query being wrong). */
export function isConnectionError(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    // P1003: the database itself is gone (dropped, or not restored yet): down, not a bad query.
    if (["P1001", "P1002", "P1003", "P1008", "P1017", "P2024"].includes(error.code)) return true;
    // A raw query's failure is P2010 whatever the cause; the driver adapter's kind tells.
    const kind = (error.meta as { driverAdapterError?: { cause?: { kind?: string } } } | undefined)?.driverAdapterError
      ?.cause?.kind;
    if (kind) return DOWN_KINDS.has(kind);
    if (error.code !== "P2010") return false;
  }
  const code = (error as { code?: string } | null)?.code;
  const message = error instanceof Error ? error.message : "";
  return (
    code === "ECONNREFUSED" ||
    code === "ECONNRESET" ||
    code === "57P01" ||
    /ECONNREFUSED|Connection terminated|connect ETIMEDOUT|DatabaseNotReachable|Can't reach database/i.test(message)
  );
}
