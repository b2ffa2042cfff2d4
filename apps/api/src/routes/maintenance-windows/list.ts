import { listWindows } from "@upfleet/maintenance";
import { defineRoute } from "../../http/route.ts";
import { WindowList, WindowListQuery } from "./schema.ts";

export const listWindowsRoute = defineRoute({
  method: "get",
  path: "/maintenance-windows",
  operationId: "maintenanceWindows.list",
  summary: "List maintenance windows, newest first (filter by monitor, on now or not)",
  tag: "Maintenance windows",
  access: { scope: "monitors:read" },
  query: WindowListQuery,
  responses: { 200: { description: "Windows, newest first", schema: WindowList } },
  handle: async ({ query, principal, deps }) => {
    const { cursor, limit, ...filters } = query;
    return { status: 200, body: await listWindows(deps.db, principal, filters, { cursor, limit }) };
  },
});
