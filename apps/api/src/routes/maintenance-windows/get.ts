import { getWindow } from "@upfleet/maintenance";
import { defineRoute } from "../../http/route.ts";
import { WindowBody, WindowParams } from "./schema.ts";

export const getWindowRoute = defineRoute({
  method: "get",
  path: "/maintenance-windows/:id",
  operationId: "maintenanceWindows.get",
  summary: "Get a maintenance window",
  tag: "Maintenance windows",
  access: { scope: "monitors:read" },
  params: WindowParams,
  entity: "Maintenance window",
  responses: { 200: { description: "The window", schema: WindowBody } },
  handle: async ({ params, principal, deps }) => ({
    status: 200,
    body: await getWindow(deps.db, principal, params.id),
  }),
});
