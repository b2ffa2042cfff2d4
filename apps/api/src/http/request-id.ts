import { newId } from "@upfleet/ids";
import type { RequestHandler } from "express";

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A client's sane `X-Request-Id` (a header sent twice arrives joined, and is not sane), or a new `req_…`. */
export function requestIdFor(supplied: string | undefined): string {
  return supplied && SANE_REQUEST_ID.test(supplied) ? supplied : newId("request");
}

/** Echoes a client's sane `X-Request-Id`, or mints a `req_…` one; every response carries it. */
export const requestId: RequestHandler = (req, res, next) => {
  const id = requestIdFor(req.get("x-request-id"));
  res.locals.requestId = id;
  res.setHeader("X-Request-Id", id);
  next();
};
