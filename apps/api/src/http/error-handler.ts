import { isConnectionError } from "@upfleet/db";
import { AppError, UnavailableError, ValidationError } from "@upfleet/errors";
import type { Logger } from "@upfleet/logger";
import type { ErrorRequestHandler, RequestHandler } from "express";

/** Redis client errors that mean "not reachable" rather than "bad command". */
function isRedisDown(error: unknown): boolean {
  const message = error instanceof Error ? error.message : "";
  return /Connection is closed|enableOfflineQueue|ECONNREFUSED|Reached the max retries|MaxRetriesPerRequest/i.test(
    message,
  );
}

/**
 * A client error raised by Express's own plumbing (router, static files): a path whose percent-encoding
 * does not decode (`%ZZ`, an encoded lone surrogate) is a URIError; the rest carry an http-errors status.
 */
function expressClientError(error: unknown): AppError | null {
  if (error instanceof URIError) {
    return new ValidationError([{ path: "(path)", message: "The path's percent-encoding is not valid UTF-8" }]);
  }
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status !== "number" || status < 400 || status > 499) return null;
  if (status === 404) return new AppError("not_found", "Not found");
  if (status === 405) return new AppError("method_not_allowed", "Method not allowed");
  if (status === 413) return new AppError("payload_too_large", "Request too large");
  return new ValidationError([{ path: "(request)", message: "The request could not be read" }]);
}

/** Any thrown value as the AppError it is answered with (unknown ones are a 500 that says nothing). */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const clientError = expressClientError(error);
  if (clientError) return clientError;
  if (isConnectionError(error)) return new UnavailableError("The database", error);
  if (isRedisDown(error)) return new UnavailableError("Redis", error);
  return new AppError("internal_error", "An unexpected error occurred; it has been logged", { cause: error });
}

/** The error shape of every error response (API.md "Errors"). */
export function errorBody(error: AppError, requestId: string) {
  return {
    error: error.code,
    message: error.message,
    ...(error.details ? { details: error.details } : {}),
    request_id: requestId,
  };
}

/**
 * Where Express's errors become responses (the ping fast path renders the same errorBody): our shape,
 * the request id, and a log line for 5xx only.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const appError = toAppError(error);
    const requestId = res.locals.requestId as string;
    if (appError.status >= 500) {
      logger.error({ err: error, requestId, method: req.method, path: req.path }, "request failed");
    }
    if (res.headersSent) return res.end();
    for (const [name, value] of Object.entries(appError.headers)) res.setHeader(name, value);
    res.status(appError.status).json(errorBody(appError, requestId));
  };
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new AppError("not_found", `No route ${req.method} ${req.path}`));
};
