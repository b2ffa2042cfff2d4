import { createWindow } from "@upfleet/maintenance";
import { ErrorBody } from "../../http/openapi.ts";
import { defineRoute } from "../../http/route.ts";
import { CreateWindowBody, WINDOW_DESCRIPTION, WindowBody } from "./schema.ts";

export const createWindowRoute = defineRoute({
  method: "post",
  path: "/maintenance-windows",
  operationId: "maintenanceWindows.create",
  summary: "Create a maintenance window",
  description: WINDOW_DESCRIPTION,
  tag: "Maintenance windows",
  access: { scope: "monitors:write" },
  body: CreateWindowBody,
  example: {
    name: "Database upgrade",
    monitor_ids: ["mon_m9s346q3d25vt4f5v37e3s3e28"],
    starts_at: "2030-01-15T22:00:00.000Z",
    ends_at: "2030-01-15T23:00:00.000Z",
  },
  responses: {
    201: { description: "The new window", schema: WindowBody },
    404: { description: "A monitor named is not in your organization", schema: ErrorBody },
  },
  handle: async ({ body, principal, deps }) => ({ status: 201, body: await createWindow(deps.db, principal, body) }),
});
