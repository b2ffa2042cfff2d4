import { EXPORT_FORMATS, EXPORT_TYPES, type ExportTypeName, MAX_UNFINISHED_EXPORTS } from "@upfleet/exports";
import { z } from "zod";
import type { Principal } from "../../auth/principal.ts";
import type { ApiDeps } from "../../deps.ts";
import { idParam, listOf, Timestamp } from "../../http/schemas.ts";

export { CreateExportBody } from "@upfleet/exports";

export const ExportParams = idParam("exp");

export const EXPORT_DESCRIPTION =
  "An export is built in the background: `pending`, then `processing`, then `completed` (or `failed`, " +
  "with `error`). A completed export's `download_url` is a fresh signed link, valid for an hour, that " +
  "needs no other credential (null for a caller without `monitors:read` for checks or `incidents:read` for incidents). The file is kept until `file_expires_at` (24 h after completion; also `expires_at`), the link until `download_url_expires_at`; once the file is gone the " +
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
    download_url_expires_at: Timestamp.nullable().meta({ description: "When this download_url stops working" }),
    file_expires_at: Timestamp.nullable().meta({ description: "When the file is (or was) deleted" }),
    expires_at: Timestamp.nullable().meta({ description: "The same as file_expires_at (kept for existing clients)" }),
    error: z.string().nullable().meta({ description: "Why a failed export failed" }),
    created_at: Timestamp,
  })
  .meta({ id: "Export" });

export const ExportList = listOf(ExportBody, "ExportList");

/** An export holds what its type's read scope guards: creating one, or getting its link, takes that scope too. */
export const READ_SCOPE = { checks: "monitors:read", incidents: "incidents:read" } as const;

/** Where links point, how they are signed, and which types' links this caller may have. */
export const linkMaker = ({ deps, principal }: { deps: ApiDeps; principal: Principal }) => ({
  publicUrl: deps.config.PUBLIC_URL,
  links: deps.exports.links,
  holder: { userId: principal.userId, apiKeyId: principal.apiKey?.id ?? null },
  mayRead: (type: ExportTypeName) => principal.scopes.has(READ_SCOPE[type]),
});
