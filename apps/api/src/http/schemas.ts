import { decodeCursor, ResourceKey } from "@upfleet/db";
import { z } from "zod";

/** Shared pieces of request and response schemas. */
export const Timestamp = z.iso.datetime().meta({ description: "ISO-8601 UTC with milliseconds" });

export const PageQuery = z.strictObject({
  cursor: z
    .string()
    .max(200)
    .refine((c) => decodeCursor(c) !== null, "is not a cursor this API returned")
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** `?key=`: the one resource of the list's type carrying that key (an empty list if none does). */
export const KeyFilter = ResourceKey.optional().meta({ description: "Only the resource with this key" });

/** A list whose only filter is `?key=`. */
export const KeyedPageQuery = PageQuery.extend({ key: KeyFilter });

export function listOf<T extends z.ZodType>(item: T, id: string) {
  return z.object({ data: z.array(item), next_cursor: z.string().nullable() }).meta({ id });
}

/** A path id of the given kind (`key_…`): anything else cannot exist. */
export function idParam(prefix: string) {
  return z.strictObject({ id: z.string().regex(new RegExp(`^${prefix}_[0-9a-z]{26}$`)) });
}

export const Email = z.email().max(254);
export const Password = z.string().min(10, "must be at least 10 characters").max(256);
