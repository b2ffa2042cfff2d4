import { createIncident } from "@upfleet/incidents";
import { ErrorBody } from "../../http/openapi.ts";
import { defineRoute } from "../../http/route.ts";
import { CreateIncidentBody, IncidentBody } from "./schema.ts";

export const createIncidentRoute = defineRoute({
  method: "post",
  path: "/incidents",
  operationId: "incidents.create",
  summary: "Open an incident by hand",
  description:
    "A monitor has at most one open incident: opening another for it is a 409. " +
    "The status and message become the first entry of the timeline.",
  tag: "Incidents",
  access: { scope: "incidents:write" },
  body: CreateIncidentBody,
  example: {
    title: "Checkout errors",
    monitor_id: "mon_m9s346q3d25vt4f5v37e3s3e28",
    message: "Payments fail for some customers.",
  },
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
