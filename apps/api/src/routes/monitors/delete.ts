import { deleteMonitor } from "@upfleet/monitors";
import { defineRoute } from "../../http/route.ts";
import { MonitorParams } from "./schema.ts";

export const deleteMonitorRoute = defineRoute({
  method: "delete",
  path: "/monitors/:id",
  operationId: "monitors.delete",
  summary: "Delete a monitor (soft: checks stop, history is kept)",
  tag: "Monitors",
  access: { scope: "monitors:write" },
  params: MonitorParams,
  entity: "Monitor",
  responses: { 204: { description: "Deleted" } },
  handle: async ({ params, principal, deps }) => {
    await deleteMonitor(deps.monitors, principal, params.id);
    return { status: 204 };
  },
});
