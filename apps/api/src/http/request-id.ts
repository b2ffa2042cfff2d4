import { newId } from "@upfleet/ids";
import type { RequestHandler } from "express";

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Echoes a client's sane `X-Request-Id`, or mints a `req_…` one; every response carries it. */
export const requestId: RequestHandler = (req, res, next) => {
  const supplied = req.get("x-request-id");
  const id = supplied && SANE_REQUEST_ID.test(supplied) ? supplied : newId("request");
  res.locals.requestId = id;
  res.setHeader("X-Request-Id", id);
  next();
};
