import { EXPORT_FORMATS, EXPORT_TYPES, MAX_UNFINISHED_EXPORTS } from "@upfleet/exports";
import { z } from "zod";
import type { RouteContext } from "../../http/route.ts";
import { idParam, listOf, Timestamp } from "../../http/schemas.ts";

export { CreateExportBody } from "@upfleet/exports";

export const ExportParams = idParam("exp");

export const EXPORT_DESCRIPTION =
  "An export is built in the background: `pending`, then `processing`, then `completed` (or `failed`, " +
  "with `error`). A completed export's `download_url` is a fresh signed link, valid for an hour, that " +
  "needs no other credential. The file is kept until `expires_at` (24 h after completion); after it the " +
  "export stays `completed` with its counts, `download_url` null and `expires_at` in the past. " +
  `An organization has at most ${MAX_UNFINISHED_EXPORTS} exports pending or processing at once (409 beyond).`;

/** The export object (API.md "Exports and reports"). */
export const ExportBody = z
  .object({
    id: z.string(),
    type: z.enum(EXPORT_TYPES),
    format: z.enum(EXPORT_FORMATS),
    status: z.enum(["pending", "processing", "completed", "failed"]),
    row_count: z.number().int().nullable().meta({ description: "Records in the file, once completed" }),
    size_bytes: z.number().int().nullable().meta({ description: "Bytes of the file, once completed" }),
    download_url: z.string().nullable().meta({ description: "Signed link (1 h) while the file is kept" }),
    expires_at: Timestamp.nullable().meta({ description: "When the file is (or was) deleted" }),
    error: z.string().nullable().meta({ description: "Why a failed export failed" }),
    created_at: Timestamp,
  })
  .meta({ id: "Export" });

export const ExportList = listOf(ExportBody, "ExportList");

/** Where links point and how they are signed, from the API's dependencies. */
export const linkMaker = ({ deps }: Pick<RouteContext<unknown, unknown, unknown, "public">, "deps">) => ({
  publicUrl: deps.config.PUBLIC_URL,
  links: deps.exports.links,
});
