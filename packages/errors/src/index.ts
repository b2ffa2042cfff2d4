import { z } from "zod";

/** Every error code the API can answer with; the HTTP status is a function of the code. */
export const ERROR_CODES = [
  "validation_error",
  "unauthorized",
  "forbidden",
  "not_found",
  "method_not_allowed",
  "conflict",
  "payload_too_large",
  "unsupported_media_type",
  "rate_limited",
  "internal_error",
  "unavailable",
] as const;

export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

const STATUS: Record<ErrorCode, number> = {
  validation_error: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  unavailable: 503,
};

export function codeToStatus(code: ErrorCode): number {
  return STATUS[code];
}

export interface ErrorDetail {
  path: string;
  message: string;
}

/** A transport-neutral domain error: services throw these, the API turns them into responses. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[] | undefined;
  /** Extra response headers the transport should send (e.g. `Retry-After`). */
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: ErrorDetail[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }

  get status(): number {
    return codeToStatus(this.code);
  }
}

export class ValidationError extends AppError {
  constructor(details: ErrorDetail[], message = "Request validation failed") {
    super("validation_error", message, { details });
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = "Missing or invalid credentials") {
    super("unauthorized", message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super("forbidden", message);
  }
}

export class NotFoundError extends AppError {
  constructor(entity: string, id?: string) {
    super("not_found", id === undefined ? `${entity} not found` : `${entity} ${id} does not exist`);
  }
}

/** A path that exists, asked with a method it does not take; `Allow` lists the ones it does. */
export class MethodNotAllowedError extends AppError {
  constructor(method: string, allowed: readonly string[]) {
    super("method_not_allowed", `${method} is not allowed here; use ${allowed.join(", ")}`, {
      headers: { Allow: allowed.join(", ") },
    });
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super("conflict", message);
  }
}

export class LimitExceededError extends ConflictError {}

export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number, headers: Record<string, string> = {}) {
    super("rate_limited", `Rate limit exceeded; retry in ${retryAfterSeconds} s`, {
      headers: { ...headers, "Retry-After": String(retryAfterSeconds) },
    });
  }
}

export class UnavailableError extends AppError {
  constructor(dependency: string, cause?: unknown) {
    super("unavailable", `${dependency} is unavailable; retry later`, { cause });
  }
}

/** Turns zod issues into our `details` list: one entry per problem, dotted paths. */
export function zodIssuesToDetails(issues: readonly z.core.$ZodIssue[], root?: string): ErrorDetail[] {
  return issues.flatMap((issue) => {
    const segments = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        path: [...(root ? [root] : []), ...segments, key].join(".") || "(root)",
        message: "Unknown field",
      }));
    }
    return [
      {
        path: [...(root ? [root] : []), ...segments].join(".") || "(root)",
        message: issue.message,
      },
    ];
  });
}

/**
 * A JSON column that does not match its schema (edited by hand, or written before a rule existed).
 * Not an AppError: the API answers it as any unexpected error, a 500 that says nothing, and logs it.
 */
export class StoredDataError extends Error {
  override name = "StoredDataError";
  constructor(
    readonly what: string,
    readonly details: ErrorDetail[],
  ) {
    super(`stored ${what} is invalid: ${details.map((d) => `${d.path}: ${d.message}`).join("; ")}`);
  }
}

/** A JSON column read through its schema: the typed value, or a StoredDataError naming the problems. */
export function parseStored<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new StoredDataError(what, zodIssuesToDetails(parsed.error.issues));
  return parsed.data;
}

const StoredObject = z.record(z.string(), z.unknown()).nullable();

/** A JSON-object column whose fields its reader judges (null, on rows from before it had any, reads as {}). */
export function parseStoredObject(value: unknown, what: string): Record<string, unknown> {
  return parseStored(StoredObject, value, what) ?? {};
}
