import { z } from "zod";

/** Inclusive [low, high] status ranges; a single code is a range of one. */
export type StatusRanges = ReadonlyArray<readonly [number, number]>;

const PART = /^\s*(\d{3})\s*(?:-\s*(\d{3})\s*)?$/;

/**
 * Parses "200-299", "200,301" or a mix ("200-299,418"). Codes are 100–599 and a range runs low to high.
 * Returns null when the text is not that, so callers decide how loudly to fail.
 */
export function parseExpectedStatus(text: string): StatusRanges | null {
  if (text.length > 200) return null;
  const ranges: [number, number][] = [];
  for (const part of text.split(",")) {
    const match = PART.exec(part);
    if (!match) return null;
    const low = Number(match[1]);
    const high = Number(match[2] ?? match[1]);
    if (low < 100 || high > 599 || low > high) return null;
    ranges.push([low, high]);
  }
  return ranges;
}

export function matchesExpectedStatus(ranges: StatusRanges, status: number): boolean {
  return ranges.some(([low, high]) => status >= low && status <= high);
}

export const EXPECTED_STATUS_MESSAGE = 'must be status codes or ranges, e.g. "200-299", "200,301" or "200-299,418"';

/** The one validation for expected-status strings, for the API's monitor schema and the check spec alike. */
export const expectedStatusSchema = z
  .string()
  .refine((value) => parseExpectedStatus(value) !== null, EXPECTED_STATUS_MESSAGE);
