import { patchIncident } from "@upfleet/incidents";
import { ErrorBody } from "../../http/openapi.ts";
import { defineRoute } from "../../http/route.ts";
import { IncidentBody, IncidentParams, PatchIncidentBody } from "./schema.ts";

export const patchIncidentRoute = defineRoute({
  method: "patch",
  path: "/incidents/:id",
  operationId: "incidents.update",
  summary: "Change an incident's title, status or both, with an optional message",
  description:
    "A status change or a message adds an entry to the timeline; status `resolved` resolves it. " +
    "A resolved incident cannot change (409).",
  tag: "Incidents",
  access: { scope: "incidents:write" },
  params: IncidentParams,
  entity: "Incident",
  body: PatchIncidentBody,
  example: { status: "identified", message: "A bad deploy; rolling back." },
  responses: {
    200: { description: "The incident", schema: IncidentBody },
    409: { description: "The incident is resolved", schema: ErrorBody },
  },
  handle: async ({ params, body, principal, deps }) => ({
    status: 200,
    body: await patchIncident(deps.db, principal, params.id, body),
  }),
});
