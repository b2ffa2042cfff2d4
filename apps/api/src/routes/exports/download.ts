import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { UnauthorizedError } from "@upfleet/errors";
import { CONTENT_TYPES, openExportFile } from "@upfleet/exports";
import { z } from "zod";
import { ErrorBody } from "../../http/openapi.ts";
import { defineRoute } from "../../http/route.ts";
import { ExportParams } from "./schema.ts";

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
  summary: "Download an export's file (the signed link of download_url)",
  description:
    "No credential but the link's `token`, valid for an hour and for this export only. A bad, expired " +
    "or missing token is a 401 that says no more; an export whose file has expired is a 404.",
  tag: "Exports",
  access: "public",
  params: ExportParams,
  entity: "Export",
  query: DownloadQuery,
  responses: {
    200: { description: "The file: text/csv, application/json or application/x-ndjson, as an attachment" },
    401: { description: "Invalid or expired download link", schema: ErrorBody },
    404: { description: "No such export, or its file has expired", schema: ErrorBody },
  },
  handle: async ({ params, query, deps, res }) => {
    if (!query.token || !(await deps.exports.links.verify(query.token, params.id))) {
      throw new UnauthorizedError("Invalid or expired download link");
    }
    const file = await openExportFile(deps.db, params.id);
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
