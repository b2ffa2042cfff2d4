import { MethodNotAllowedError } from "@upfleet/errors";
import { readPingBody } from "@upfleet/heartbeats";
import type { RequestHandler, Response } from "express";
import { PING_METHODS } from "./schema.ts";

const allowed = new Set<string>(PING_METHODS);

/**
 * Mounted on the heartbeat paths before the JSON body parser: pings take any method of GET, POST
 * and HEAD (405 otherwise) and any body, of which the first 10 KiB are kept and the rest discarded.
 */
export const pingRequests: RequestHandler = async (req, res, next) => {
  if (!allowed.has(req.method)) {
    req.resume();
    return next(new MethodNotAllowedError(req.method, PING_METHODS));
  }
  // Most pings (curl -fsS URL) have no body: skip the stream machinery for them.
  const length = req.get("content-length");
  if (req.get("transfer-encoding") !== undefined || (length !== undefined && length !== "0")) {
    try {
      res.locals.pingBody = (await readPingBody(req)).text;
    } catch (error) {
      return next(error);
    }
  }
  // Read: the JSON parser leaves a body some earlier reader took.
  req.body = {};
  next();
};

export function pingBody(res: Response): string | null {
  return (res.locals.pingBody as string | null | undefined) ?? null;
}
