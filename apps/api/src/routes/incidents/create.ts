import { createIncident } from "@upfleet/incidents";
import { ErrorBody } from "../../http/openapi.ts";
import { defineRoute } from "../../http/route.ts";
import { CreateIncidentBody, IncidentBody } from "./schema.ts";

export const createIncidentRoute = defineRoute({
  method: "post",
  path: "/incidents",
  summary: "Open an incident by hand",
  description:
    "A monitor has at most one open incident: opening another for it is a 409. " +
    "The status and message become the first entry of the timeline.",
  tag: "Incidents",
  access: { scope: "incidents:write" },
  body: CreateIncidentBody,
  responses: {
    201: { description: "The new incident", schema: IncidentBody },
    404: { description: "No such monitor in your organization", schema: ErrorBody },
    409: { description: "The monitor already has an open incident", schema: ErrorBody },
  },
  handle: async ({ body, principal, deps }) => ({
    status: 201,
    body: await createIncident(deps.db, principal, body),
  }),
});
