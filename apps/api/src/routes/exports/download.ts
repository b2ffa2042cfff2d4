import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { effectiveScopes } from "@upfleet/accounts";
import { UnauthorizedError } from "@upfleet/errors";
import { CONTENT_TYPES, holderStanding, openExportFile } from "@upfleet/exports";
import { z } from "zod";
import { ErrorBody } from "../../http/openapi.ts";
import { defineRoute } from "../../http/route.ts";
import { DOWNLOAD_INTERVAL_MS, takeDownloadSlot } from "./download-gate.ts";
import { ExportParams, READ_SCOPE } from "./schema.ts";

const INVALID_LINK = "Invalid or expired download link";

const DownloadQuery = z.strictObject({
  token: z.string().max(2_000).optional().meta({ description: "The token of the export's download_url" }),
});

/**
 * The file behind a download_url: public, the link's token is the credential. The file is streamed
 * chunk by chunk straight to the response (the route framework replies with JSON or short text only),
 * so the reply handed back afterwards sends nothing more.
 */
export const downloadExportRoute = defineRoute({
  method: "get",
  path: "/exports/:id/download",
  operationId: "exports.download",
  summary: "Download an export's file (the signed link of download_url)",
  description:
    "No credential but the link's `token`, valid for an hour and for this export only, and only while " +
    "the user and API key that asked for it still exist, unrevoked, with the read scope of what the " +
    "export holds. A bad, expired, missing or orphaned token is a 401 that says no more; an export " +
    `whose file has expired is a 404. An export is downloaded at most once every ${DOWNLOAD_INTERVAL_MS / 1000} s ` +
    "(429 with Retry-After), and links are limited per client IP like the public pages.",
  tag: "Exports",
  access: "public",
  params: ExportParams,
  entity: "Export",
  query: DownloadQuery,
  responses: {
    200: {
      description: "The file, as an attachment",
      contentType: ["text/csv", "application/json", "application/x-ndjson"],
    },
    401: { description: "Invalid or expired download link, or its user or key is gone", schema: ErrorBody },
    404: { description: "No such export, or its file has expired", schema: ErrorBody },
    429: { description: "Downloaded less than a minute ago; see Retry-After", schema: ErrorBody },
  },
  handle: async ({ params, query, deps, res }) => {
    const holder = query.token ? await deps.exports.links.verify(query.token, params.id) : null;
    if (!holder) throw new UnauthorizedError(INVALID_LINK);
    const file = await openExportFile(deps.db, params.id);
    // The link is the credential of whoever asked for it, and dies with it: same answer as a bad link.
    const standing = await holderStanding(deps.db, file.organizationId, holder);
    if (!standing || !effectiveScopes(standing.role, standing.keyScopes).has(READ_SCOPE[file.type])) {
      throw new UnauthorizedError(INVALID_LINK);
    }
    await takeDownloadSlot(deps.redis, deps.config.REDIS_PREFIX, params.id);
    res.writeHead(200, {
      "Content-Type": CONTENT_TYPES[file.format],
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Content-Length": String(file.sizeBytes),
      "Cache-Control": "private, no-store",
    });
    try {
      await pipeline(Readable.from(file.chunks), res);
    } catch (error) {
      // The client went away mid-file: nothing to answer, nothing to log.
      if (!res.destroyed) throw error;
    }
    return { status: 200 };
  },
});
