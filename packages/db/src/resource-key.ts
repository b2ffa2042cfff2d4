import { ConflictError } from "@upfleet/errors";
import { z } from "zod";
import { isUniqueViolation } from "./client.ts";

/**
 * A client's stable name for a resource (monitors as code match the file's items to rows by it).
 * Unique per organization and resource type among live rows, so the same key may name a monitor and
 * a channel; another organization's keys never collide with yours.
 */
export const ResourceKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, "must be 1–63 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit")
  .meta({
    description: "Your stable name for it (`upfleet apply` matches on it): unique per organization and type (409)",
    example: "checkout-api",
  });

/** A list's `?key=` filter: the one resource carrying the key, or none. */
export interface KeyFilter {
  key?: string | undefined;
}

/** The where clause of a KeyFilter. */
export const byKey = (filter: KeyFilter) => (filter.key === undefined ? {} : { key: filter.key });

/**
 * Runs a write and turns a clash on its table's `<table>_key_per_organization` index (migration
 * 20261206083732_resource_keys) into a 409 naming the key: the index decides, so two writers cannot
 * both take one.
 */
export async function uniqueKey<T>(entity: string, key: string | null | undefined, write: () => Promise<T>) {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error, "_key_per_organization")) {
      throw new ConflictError(`A ${entity} with the key "${key}" already exists`);
    }
    throw error;
  }
}
