import { NotFoundError, ValidationError, zodIssuesToDetails } from "@upfleet/errors";
import type { z } from "zod";

// Code units, not code points (no `u` flag): a high surrogate not followed by a low one, or a low one alone.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const unstorable = (text: string) => text.includes("\u0000") || LONE_SURROGATE.test(text);

/**
 * The paths of strings PostgreSQL cannot store, object keys included: with U+0000 (no text or jsonb
 * value holds it), or with a lone UTF-16 surrogate (`"\ud800"` in JSON is not a character; jsonb
 * refuses it, text would silently turn it into U+FFFD). Bodies are at most MAX_NESTING deep.
 */
function unstorablePaths(value: unknown, path: string[] = []): string[] {
  if (typeof value === "string") return unstorable(value) ? [path.join(".") || "(root)"] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => unstorablePaths(item, [...path, String(i)]));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) =>
      unstorable(key) ? [path.join(".") || "(root)"] : unstorablePaths(item, [...path, key]),
    );
  }
  return [];
}

const UNSTORABLE = "must not contain NUL (U+0000) or an unpaired surrogate (not UTF-8), in keys or values";

/**
 * Parses a body or query with its strict schema; every problem is listed in `details`. A string
 * PostgreSQL cannot store is refused here, naming its field, rather than failing there as a 500: in
 * what was sent, and in what the schema made of it (a field sent as a string holding JSON).
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, root?: string): z.output<S> {
  const result = schema.safeParse(value);
  const prefix = root ? [root] : [];
  const paths = new Set([
    ...unstorablePaths(value, prefix),
    ...(result.success ? unstorablePaths(result.data, prefix) : []),
  ]);
  if (result.success && paths.size === 0) return result.data;
  const details = result.success ? [] : zodIssuesToDetails(result.error.issues, root);
  const seen = new Set(details.map((d) => d.path));
  throw new ValidationError([
    ...details,
    ...[...paths].filter((path) => !seen.has(path)).map((path) => ({ path, message: UNSTORABLE })),
  ]);
}

/** Path ids that cannot exist are simply not found: a malformed id tells nothing about tenants. */
export function parseParams<S extends z.ZodType>(schema: S, value: unknown, entity: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success && unstorablePaths(value).length === 0) return result.data;
  throw new NotFoundError(entity, Object.values(value as Record<string, string>)[0]);
}
