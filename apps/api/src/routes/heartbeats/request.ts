import type { IncomingMessage } from "node:http";
import { MethodNotAllowedError } from "@upfleet/errors";
import { readPingBody } from "@upfleet/heartbeats";
import type { RequestHandler, Response } from "express";
import { PING_METHODS } from "./schema.ts";

const allowed = new Set<string>(PING_METHODS);

/** Pings take GET, POST and HEAD, as cron lines use any of them; anything else is a 405. */
export function assertPingMethod(method: string | undefined): void {
  if (!method || !allowed.has(method)) throw new MethodNotAllowedError(method ?? "", PING_METHODS);
}

/** Any body, of which the first 10 KiB are kept and the rest read and discarded; null when none came. */
export async function readPingRequestBody(req: IncomingMessage): Promise<string | null> {
  // Most pings (curl -fsS URL) have no body: skip the stream machinery for them.
  const length = req.headers["content-length"];
  if (req.headers["transfer-encoding"] === undefined && (length === undefined || length === "0")) return null;
  return (await readPingBody(req)).text;
}

/** Mounted on the heartbeat paths of the Express app before the JSON body parser. */
export const pingRequests: RequestHandler = async (req, res, next) => {
  try {
    assertPingMethod(req.method);
  } catch (error) {
    req.resume();
    return next(error);
  }
  try {
    res.locals.pingBody = await readPingRequestBody(req);
  } catch (error) {
    return next(error);
  }
  // Read: the JSON parser leaves a body some earlier reader took.
  req.body = {};
  next();
};

export function pingBody(res: Response): string | null {
  return (res.locals.pingBody as string | null | undefined) ?? null;
}
