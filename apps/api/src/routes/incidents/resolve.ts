import { resolveIncident } from "@upfleet/incidents";
import { ErrorBody } from "../../http/openapi.ts";
import { defineRoute } from "../../http/route.ts";
import { IncidentBody, IncidentParams, ResolveIncidentBody } from "./schema.ts";

export const resolveIncidentRoute = defineRoute({
  method: "post",
  path: "/incidents/:id/resolve",
  operationId: "incidents.resolve",
  summary: "Resolve an incident",
  description:
    "Adds a `resolved` entry (with the message, if any) and acknowledges it if nobody had. " +
    "Its monitor may then open a new incident. Resolving a resolved incident is a 409.",
  tag: "Incidents",
  access: { scope: "incidents:write" },
  params: IncidentParams,
  entity: "Incident",
  body: ResolveIncidentBody,
  example: { message: "Error rates are back to normal." },
  responses: {
    200: { description: "The resolved incident", schema: IncidentBody },
    409: { description: "The incident is already resolved", schema: ErrorBody },
  },
  handle: async ({ params, body, principal, deps }) => ({
    status: 200,
    body: await resolveIncident(deps.db, principal, params.id, body),
  }),
});
