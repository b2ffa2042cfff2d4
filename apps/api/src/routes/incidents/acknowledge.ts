import { acknowledgeIncident } from "@upfleet/incidents";
import { ErrorBody } from "../../http/openapi.ts";
import { defineRoute } from "../../http/route.ts";
import { IncidentBody, IncidentParams } from "./schema.ts";

export const acknowledgeIncidentRoute = defineRoute({
  method: "post",
  path: "/incidents/:id/acknowledge",
  operationId: "incidents.acknowledge",
  summary: "Acknowledge an incident (stops its escalation)",
  description: "Records who and when; acknowledging again keeps the first acknowledgement.",
  tag: "Incidents",
  access: { scope: "incidents:write" },
  params: IncidentParams,
  entity: "Incident",
  responses: {
    200: { description: "The incident", schema: IncidentBody },
    409: { description: "The incident is resolved", schema: ErrorBody },
  },
  handle: async ({ params, principal, deps }) => ({
    status: 200,
    body: await acknowledgeIncident(deps.db, principal, params.id),
  }),
});
