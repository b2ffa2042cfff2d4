import { AppError, ValidationError } from "@upfleet/errors";
import type { RequestHandler } from "express";

const MAX_BODY_BYTES = 1024 * 1024;
const utf8 = new TextDecoder("utf-8", { fatal: true });

function hasBody(req: Parameters<RequestHandler>[0]): boolean {
  const length = req.get("content-length");
  return req.get("transfer-encoding") !== undefined || (length !== undefined && length !== "0");
}

function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

/** No request body needs more; every walk over a body (validation, storage) may then recurse freely. */
const MAX_NESTING = 64;

/** The deepest nesting of arrays and objects in JSON text, strings skipped: one pass, no recursion. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/**
 * Reads a JSON body strictly: 415 unless JSON, 413 past 1 MiB, 400 for bytes that are not UTF-8
 * (body-parser would quietly turn them into U+FFFD), text that is not JSON, nesting past MAX_NESTING
 * and a body that is not an object or array (`null`, `3`).
 */
export const jsonBody: RequestHandler = async (req, _res, next) => {
  if (!hasBody(req)) return next();
  if (!isJson(req.get("content-type"))) {
    req.resume();
    return next(new AppError("unsupported_media_type", "Request bodies must be JSON (Content-Type: application/json)"));
  }
  const charset = /charset=([^;]+)/i
    .exec(req.get("content-type") ?? "")?.[1]
    ?.trim()
    .toLowerCase();
  if (charset && charset !== "utf-8" && charset !== "utf8") {
    req.resume();
    return next(new AppError("unsupported_media_type", "Request bodies must be UTF-8 JSON"));
  }
  const declared = Number(req.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    return next(new AppError("payload_too_large", `Request bodies are limited to ${MAX_BODY_BYTES} bytes`));
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.resume();
        return next(new AppError("payload_too_large", `Request bodies are limited to ${MAX_BODY_BYTES} bytes`));
      }
      chunks.push(chunk);
    }
  } catch (error) {
    return next(new AppError("validation_error", "The request body could not be read", { cause: error }));
  }
  let text: string;
  try {
    text = utf8.decode(Buffer.concat(chunks, size));
  } catch {
    return next(new ValidationError([{ path: "(body)", message: "Body is not valid UTF-8" }]));
  }
  if (text.trim() === "") return next();
  if (nestingDepth(text) > MAX_NESTING) {
    return next(new ValidationError([{ path: "(body)", message: `JSON nested deeper than ${MAX_NESTING} levels` }]));
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return next(new ValidationError([{ path: "(body)", message: `Malformed JSON: ${(error as Error).message}` }]));
  }
  // `null` is not an absent body: answering it as `{}` would act on a request nobody sent.
  if (body === null || typeof body !== "object") {
    return next(new ValidationError([{ path: "(body)", message: "The body must be a JSON object or array" }]));
  }
  req.body = body;
  next();
};
