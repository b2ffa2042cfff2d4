import { forgetMonitorInRules } from "@upfleet/channels";
import { resolveForDeletedMonitor } from "@upfleet/incidents";
import { deleteMonitor } from "@upfleet/monitors";
import { forgetMonitorInPages } from "@upfleet/status-pages";
import { defineRoute } from "../../http/route.ts";
import { MonitorParams } from "./schema.ts";

export const deleteMonitorRoute = defineRoute({
  method: "delete",
  path: "/monitors/:id",
  operationId: "monitors.delete",
  summary: "Delete a monitor (soft: checks stop, history is kept)",
  description:
    "Its open incidents are resolved with an update saying why, and it leaves the notification rules " +
    "and status page sections that named it (a rule or a section left with no monitor is deleted), " +
    "all in one transaction.",
  tag: "Monitors",
  access: { scope: "monitors:write" },
  params: MonitorParams,
  entity: "Monitor",
  responses: { 204: { description: "Deleted" } },
  handle: async ({ params, principal, deps }) => {
    await deleteMonitor(deps.monitors, principal, params.id, async (tx) => {
      await resolveForDeletedMonitor(tx, principal, params.id);
      await forgetMonitorInRules(tx, principal, params.id);
      await forgetMonitorInPages(tx, principal, params.id);
    });
    return { status: 204 };
  },
});
