import { createWindow } from "@upfleet/maintenance";
import { ErrorBody } from "../../http/openapi.ts";
import { defineRoute } from "../../http/route.ts";
import { CreateWindowBody, WINDOW_DESCRIPTION, WindowBody } from "./schema.ts";

export const createWindowRoute = defineRoute({
  method: "post",
  path: "/maintenance-windows",
  summary: "Create a maintenance window",
  description: WINDOW_DESCRIPTION,
  tag: "Maintenance windows",
  access: { scope: "monitors:write" },
  body: CreateWindowBody,
  responses: {
    201: { description: "The new window", schema: WindowBody },
    404: { description: "A monitor named is not in your organization", schema: ErrorBody },
  },
  handle: async ({ body, principal, deps }) => ({ status: 201, body: await createWindow(deps.db, principal, body) }),
});
