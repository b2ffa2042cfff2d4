import { updateWindow } from "@upfleet/maintenance";
import { ErrorBody } from "../../http/openapi.ts";
import { defineRoute } from "../../http/route.ts";
import { PatchWindowBody, WINDOW_DESCRIPTION, WindowBody, WindowParams } from "./schema.ts";

export const updateWindowRoute = defineRoute({
  method: "patch",
  path: "/maintenance-windows/:id",
  summary: "Change a maintenance window",
  description: `The fields given replace the window's, and the result is checked as a whole (a new \`ends_at\` must still follow the stored \`starts_at\`). ${WINDOW_DESCRIPTION}`,
  tag: "Maintenance windows",
  access: { scope: "monitors:write" },
  params: WindowParams,
  entity: "Maintenance window",
  body: PatchWindowBody,
  responses: {
    200: { description: "The window", schema: WindowBody },
    404: { description: "No such window, or a monitor named is not in your organization", schema: ErrorBody },
  },
  handle: async ({ params, body, principal, deps }) => ({
    status: 200,
    body: await updateWindow(deps.db, principal, params.id, body),
  }),
});
