import { z } from "zod";

/**
 * The range every instant a request gives must fall in, in UTC. Year 0 fails in PostgreSQL (a 500),
 * and an instant past 9999 (`9999-12-31T20:00:00-14:00` is year 10000 in UTC) is stored but read back
 * by JavaScript as an invalid date, on which every time computation turns to NaN.
 */
export const EARLIEST_INSTANT_MS = Date.parse("1970-01-01T00:00:00.000Z");
export const LATEST_INSTANT_MS = Date.parse("9999-12-31T23:59:59.999Z");

/** Whether `ms` is an instant the product stores and computes with. */
export function isStorableInstant(ms: number): boolean {
  return Number.isFinite(ms) && ms >= EARLIEST_INSTANT_MS && ms <= LATEST_INSTANT_MS;
}

/**
 * An instant a request gives to be stored or compared with stored ones. An offset is required: a
 * bare local time would be read in whatever zone the server runs in. A malformed instant stops
 * there (abort), so a rule comparing it with another is not also reported.
 */
export const Instant = z.iso
  .datetime({ offset: true, abort: true, error: "must be an ISO 8601 date-time with an offset" })
  .refine((s) => isStorableInstant(Date.parse(s)), "must be between 1970-01-01 and 9999-12-31 (UTC)");

/** The same, read as a Date. */
export const InstantDate = Instant.transform((s) => new Date(s));
