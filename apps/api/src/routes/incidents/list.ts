import { listIncidents } from "@upfleet/incidents";
import { defineRoute } from "../../http/route.ts";
import { IncidentList, IncidentListQuery } from "./schema.ts";

export const listIncidentsRoute = defineRoute({
  method: "get",
  path: "/incidents",
  operationId: "incidents.list",
  summary: "List incidents, newest first (filter by monitor, open or resolved, status)",
  tag: "Incidents",
  access: { scope: "incidents:read" },
  query: IncidentListQuery,
  responses: { 200: { description: "Incidents, newest first", schema: IncidentList } },
  handle: async ({ query, principal, deps }) => {
    const { cursor, limit, ...filters } = query;
    return { status: 200, body: await listIncidents(deps.db, principal, filters, { cursor, limit }) };
  },
});
