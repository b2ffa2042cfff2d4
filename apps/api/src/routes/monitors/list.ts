import { listMonitors } from "@upfleet/monitors";
import { defineRoute } from "../../http/route.ts";
import { MonitorList, MonitorListQuery } from "./schema.ts";

export const listMonitorsRoute = defineRoute({
  method: "get",
  path: "/monitors",
  operationId: "monitors.list",
  summary: "List monitors (filter by type, status, tag, key, part of the name)",
  tag: "Monitors",
  access: { scope: "monitors:read" },
  query: MonitorListQuery,
  responses: { 200: { description: "Monitors, newest first", schema: MonitorList } },
  handle: async ({ query, principal, deps }) => {
    const { cursor, limit, ...filters } = query;
    return { status: 200, body: await listMonitors(deps.monitors, principal, filters, { cursor, limit }) };
  },
});
