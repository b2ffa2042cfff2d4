import { deleteWindow } from "@upfleet/maintenance";
import { defineRoute } from "../../http/route.ts";
import { WindowParams } from "./schema.ts";

export const deleteWindowRoute = defineRoute({
  method: "delete",
  path: "/maintenance-windows/:id",
  summary: "Delete a maintenance window",
  description: "The window is gone: its past occurrences count towards uptime again.",
  tag: "Maintenance windows",
  access: { scope: "monitors:write" },
  params: WindowParams,
  entity: "Maintenance window",
  responses: { 204: { description: "Deleted" } },
  handle: async ({ params, principal, deps }) => {
    await deleteWindow(deps.db, principal, params.id);
    return { status: 204 };
  },
});
