import { addIncidentUpdate } from "@upfleet/incidents";
import { ErrorBody } from "../../http/openapi.ts";
import { defineRoute } from "../../http/route.ts";
import { AddIncidentUpdateBody, IncidentBody, IncidentParams } from "./schema.ts";

export const addIncidentUpdateRoute = defineRoute({
  method: "post",
  path: "/incidents/:id/updates",
  operationId: "incidents.addUpdate",
  summary: "Add an entry to an incident's timeline, optionally changing its status",
  description:
    "Returns the incident, the new entry last in `updates`. Status `resolved` resolves it. " +
    "A resolved incident takes no more entries (409).",
  tag: "Incidents",
  access: { scope: "incidents:write" },
  params: IncidentParams,
  entity: "Incident",
  body: AddIncidentUpdateBody,
  example: { status: "monitoring", message: "Rolled back; watching error rates." },
  responses: {
    201: { description: "The incident with its new entry", schema: IncidentBody },
    409: { description: "The incident is resolved", schema: ErrorBody },
  },
  handle: async ({ params, body, principal, deps }) => ({
    status: 201,
    body: await addIncidentUpdate(deps.db, principal, params.id, body),
  }),
});
