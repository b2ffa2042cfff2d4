import { z } from "zod";

const EARLIEST = Date.parse("1970-01-01T00:00:00Z");

/**
 * An instant a request gives to be stored or compared with stored ones. An offset is required: a
 * bare local time would be read in whatever zone the server runs in. A malformed instant stops
 * there (abort), so a rule comparing it with another is not also reported. Years before 1970 are
 * refused: no use to anyone, and year 0 fails in the database (a 500).
 */
export const Instant = z.iso
  .datetime({ offset: true, abort: true, error: "must be an ISO 8601 date-time with an offset" })
  .refine((s) => Date.parse(s) >= EARLIEST, "must be in 1970 or later");
