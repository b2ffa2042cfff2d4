import { getIncident } from "@upfleet/incidents";
import { defineRoute } from "../../http/route.ts";
import { IncidentBody, IncidentParams } from "./schema.ts";

export const getIncidentRoute = defineRoute({
  method: "get",
  path: "/incidents/:id",
  operationId: "incidents.get",
  summary: "Get an incident with its timeline",
  tag: "Incidents",
  access: { scope: "incidents:read" },
  params: IncidentParams,
  entity: "Incident",
  responses: { 200: { description: "The incident", schema: IncidentBody } },
  handle: async ({ params, principal, deps }) => ({
    status: 200,
    body: await getIncident(deps.db, principal, params.id),
  }),
});
