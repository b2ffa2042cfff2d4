import { ForbiddenError } from "@upfleet/errors";
import { createExport } from "@upfleet/exports";
import { z } from "zod";
import { ErrorBody } from "../../http/openapi.ts";
import { defineRoute } from "../../http/route.ts";
import { CreateExportBody, EXPORT_DESCRIPTION, READ_SCOPE } from "./schema.ts";

export const createExportRoute = defineRoute({
  method: "post",
  path: "/exports",
  operationId: "exports.create",
  summary: "Start an export of check results or incidents",
  description:
    `${EXPORT_DESCRIPTION}\n\nChecks are taken by their tick (scheduled time) in [from, to), monitor by ` +
    "monitor; incidents overlapping the range (started before `to`, not resolved before `from`). " +
    "Without `monitor_ids`: every monitor of the organization (for incidents, manual ones too). " +
    "A monitor id that is not one of yours is a 404 naming it. Also requires `monitors:read` " +
    "(checks) or `incidents:read` (incidents).",
  tag: "Exports",
  access: { scope: "exports:write" },
  body: CreateExportBody,
  example: { type: "checks", format: "csv", from: "2030-01-01T00:00:00.000Z", to: "2030-01-31T00:00:00.000Z" },
  responses: {
    202: {
      description: "Accepted; poll GET /exports/:id (the `Location` header)",
      headers: { Location: "The export's URL, to poll until its status is `completed` or `failed`" },
      schema: z.object({ id: z.string(), status: z.literal("pending") }).meta({ id: "ExportAccepted" }),
    },
    404: { description: "A monitor named is not in your organization", schema: ErrorBody },
    409: { description: "Too many exports pending or processing", schema: ErrorBody },
  },
  handle: async ({ body, principal, deps }) => {
    const scope = READ_SCOPE[body.type];
    if (!principal.scopes.has(scope)) {
      throw new ForbiddenError(`Exporting ${body.type} needs the ${scope} scope too`);
    }
    const created = await createExport(deps.db, principal, body);
    // Stored is enough: if Redis is down now, the alerter's sweeper queues it.
    await deps.exports.queue
      .enqueue({ exportId: created.id })
      .catch((error: unknown) =>
        deps.logger.warn({ err: error, exportId: created.id }, "export not queued; the sweeper will queue it"),
      );
    return { status: 202, headers: { Location: `/api/v1/exports/${created.id}` }, body: created };
  },
});
