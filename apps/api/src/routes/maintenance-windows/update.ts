import { getWindow, updateWindow } from "@upfleet/maintenance";
import { ErrorBody } from "../../http/openapi.ts";
import { defineRoute } from "../../http/route.ts";
import { endedEarly } from "./ended-early.ts";
import { PatchWindowBody, WINDOW_DESCRIPTION, WindowBody, WindowParams } from "./schema.ts";

export const updateWindowRoute = defineRoute({
  method: "patch",
  path: "/maintenance-windows/:id",
  operationId: "maintenanceWindows.update",
  summary: "Change a maintenance window",
  description: `The fields given replace the window's, and the result is checked as a whole (a new \`ends_at\` must still follow the stored \`starts_at\`). A monitor the change takes out of maintenance while it is down gets its incident now. ${WINDOW_DESCRIPTION}`,
  tag: "Maintenance windows",
  access: { scope: "monitors:write" },
  params: WindowParams,
  entity: "Maintenance window",
  body: PatchWindowBody,
  example: { ends_at: "2030-01-15T23:30:00.000Z" },
  responses: {
    200: { description: "The window", schema: WindowBody },
    404: { description: "No such window, or a monitor named is not in your organization", schema: ErrorBody },
  },
  handle: async ({ params, body, principal, deps }) => {
    const before = await getWindow(deps.db, principal, params.id);
    const window = await updateWindow(deps.db, principal, params.id, body);
    await endedEarly(deps, params.id, before.monitor_ids);
    return { status: 200, body: window };
  },
});
