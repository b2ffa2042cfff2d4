import { deleteWindow, getWindow } from "@upfleet/maintenance";
import { defineRoute } from "../../http/route.ts";
import { endedEarly } from "./ended-early.ts";
import { WindowParams } from "./schema.ts";

export const deleteWindowRoute = defineRoute({
  method: "delete",
  path: "/maintenance-windows/:id",
  operationId: "maintenanceWindows.delete",
  summary: "Delete a maintenance window",
  description:
    "The window is gone: its past occurrences count towards uptime again, and a monitor it held that is " +
    "still down gets its incident now.",
  tag: "Maintenance windows",
  access: { scope: "monitors:write" },
  params: WindowParams,
  entity: "Maintenance window",
  responses: { 204: { description: "Deleted" } },
  handle: async ({ params, principal, deps }) => {
    const before = await getWindow(deps.db, principal, params.id);
    await deleteWindow(deps.db, principal, params.id);
    await endedEarly(deps, params.id, before.monitor_ids);
    return { status: 204 };
  },
});
