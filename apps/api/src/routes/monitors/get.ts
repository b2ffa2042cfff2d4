import { getMonitor } from "@upfleet/monitors";
import { defineRoute } from "../../http/route.ts";
import { MonitorBody, MonitorParams } from "./schema.ts";

export const getMonitorRoute = defineRoute({
  method: "get",
  path: "/monitors/:id",
  operationId: "monitors.get",
  summary: "Get a monitor with its current state",
  tag: "Monitors",
  access: { scope: "monitors:read" },
  params: MonitorParams,
  entity: "Monitor",
  responses: { 200: { description: "The monitor", schema: MonitorBody } },
  handle: async ({ params, principal, deps }) => ({
    status: 200,
    body: await getMonitor(deps.monitors, principal, params.id),
  }),
});
