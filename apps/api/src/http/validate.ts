import { NotFoundError, ValidationError, zodIssuesToDetails } from "@upfleet/errors";
import type { z } from "zod";

/** Parses a body or query with its strict schema; every problem is listed in `details`. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, root?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(zodIssuesToDetails(result.error.issues, root));
}

/** Path ids that cannot exist are simply not found: a malformed id tells nothing about tenants. */
export function parseParams<S extends z.ZodType>(schema: S, value: unknown, entity: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new NotFoundError(entity, Object.values(value as Record<string, string>)[0]);
}
