import { NotFoundError, ValidationError, zodIssuesToDetails } from "@upfleet/errors";
import type { z } from "zod";

/** The paths of strings holding U+0000, which no PostgreSQL text or jsonb value can store. */
function nulPaths(value: unknown, path: string[] = []): string[] {
  if (typeof value === "string") return value.includes("\u0000") ? [path.join(".") || "(root)"] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => nulPaths(item, [...path, String(i)]));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => nulPaths(item, [...path, key]));
  }
  return [];
}

/**
 * Parses a body or query with its strict schema; every problem is listed in `details`. A NUL
 * character is refused here, naming its field, rather than failing in the database as a 500.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, root?: string): z.output<S> {
  const result = schema.safeParse(value);
  const nul = nulPaths(value, root ? [root] : []).map((path) => ({ path, message: "must not contain NUL (U+0000)" }));
  if (result.success && nul.length === 0) return result.data;
  const details = result.success ? [] : zodIssuesToDetails(result.error.issues, root);
  throw new ValidationError([...details, ...nul.filter((n) => !details.some((d) => d.path === n.path))]);
}

/** Path ids that cannot exist are simply not found: a malformed id tells nothing about tenants. */
export function parseParams<S extends z.ZodType>(schema: S, value: unknown, entity: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success && nulPaths(value).length === 0) return result.data;
  throw new NotFoundError(entity, Object.values(value as Record<string, string>)[0]);
}
